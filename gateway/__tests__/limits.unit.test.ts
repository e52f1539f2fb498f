import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { costOf, DEFAULT_LIST_SIZE, depthOf } from '../limits';
import { formatError } from '../../services/shared/errors';
import { AppError } from '../../services/shared/errors';

const schema = buildSchema(`
  type Query { org(id: ID): Org, orgs(first: Int): OrgConnection, view(limit: Int): View }
  type View { nodes: [Org!]!, edges: [Org!]! }
  type OrgConnection { edges: [OrgEdge!]! }
  type OrgEdge { node: Org! }
  type Org { name: String, partners: [Org!]! }
`);

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk = { schema, fragments, variables };
  return { depth: depthOf(operation.selectionSet, walk), cost: costOf(operation.selectionSet, schema.getQueryType()!, walk) };
}

describe('query limits', () => {
  it('counts depth through fragments and ignores introspection', () => {
    expect(measure('{ org { partners { name } } }').depth).toBe(3);
    expect(measure('{ org { ...F } } fragment F on Org { partners { partners { name } } }').depth).toBe(4);
    expect(measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }').depth).toBe(0);
  });

  it('does not loop on a fragment that spreads itself', () => {
    expect(() => measure('{ org { ...F } } fragment F on Org { partners { ...F } }')).not.toThrow();
  });

  it('multiplies by `first`, from a literal or a variable, and by a default for plain lists', () => {
    expect(measure('{ orgs(first: 10) { edges { node { name } } } }').cost).toBe(1 + 10 * (1 + (1 + 1)));
    expect(measure('query($n: Int) { orgs(first: $n) { edges { node { name } } } }', { n: 50 }).cost).toBe(1 + 50 * 3);
    expect(measure('{ org { partners { name } } }').cost).toBe(1 + (1 + DEFAULT_LIST_SIZE * 1));
  });

  it('sizes the lists inside a single object by its `limit`, without multiplying the object itself', () => {
    expect(measure('{ view(limit: 100) { nodes { name } edges { name } } }').cost).toBe(1 + (1 + 100 * 1) + (1 + 100 * 1));
    expect(measure('{ view { nodes { name } } }').cost).toBe(1 + (1 + DEFAULT_LIST_SIZE * 1));
    // Lists nested deeper than the limited object fall back to the default size.
    expect(measure('{ view(limit: 100) { nodes { partners { name } } } }').cost).toBe(1 + (1 + 100 * (1 + DEFAULT_LIST_SIZE * 1)));
  });
});

describe('error policy', () => {
  it('passes our coded errors to clients without stack traces', () => {
    const error = new AppError('NOT_FOUND', 'No Organization with id "x".');
    expect(formatError({ message: error.message, extensions: { code: 'NOT_FOUND', stacktrace: ['...'] } }, error)).toEqual({
      message: 'No Organization with id "x".',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('masks anything else as INTERNAL_SERVER_ERROR', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const masked = formatError(
      { message: 'Neo4jError: secret cypher', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new Error('secret cypher'),
    );
    expect(masked).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError({ message: 'boom' }, new Error('boom')).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    spy.mockRestore();
  });
});
