import { readFileSync } from 'node:fs';
import { buildSubgraphSdls, composeSupergraph, SUPERGRAPH_FILE, subgraphFile } from '../compose';
import { SUBGRAPHS } from '../../services/shared/config';
import { ENTITY_LABELS, NAMED_LABELS } from '../../schema/model';
import { buildASTSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, parse } from 'graphql';

describe('the supergraph composed at build time', () => {
  let sdls: Awaited<ReturnType<typeof buildSubgraphSdls>>;
  beforeAll(async () => {
    sdls = await buildSubgraphSdls();
  });

  it('composes without errors', () => {
    expect(() => composeSupergraph(sdls)).not.toThrow();
  });

  it.each(SUBGRAPHS)('has a committed %s SDL that matches the code (run `npm run compose` after changing a subgraph)', (name) => {
    expect(readFileSync(subgraphFile(name), 'utf8')).toBe(sdls[name]);
  });

  it('has a committed supergraph that matches the code', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph(sdls));
  });

  it('describes every type and field of the public API', () => {
    const supergraph = readFileSync(SUPERGRAPH_FILE, 'utf8');
    const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        type.name.startsWith('join__') ||
        type.name.startsWith('link__') ||
        ['String', 'Int', 'Float', 'Boolean', 'ID', 'Query', 'Mutation'].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type) || isUnionType(type)) continue;
    }
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) if (!field.description) missing.push(`${root!.name}.${field.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('declares a non-null name on exactly the entity types whose lists sort without a title (NAMED_LABELS)', () => {
    const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')), { assumeValidSDL: true });
    const named = ENTITY_LABELS.filter((label) => {
      const type = schema.getType(label);
      return isObjectType(type) && String(type.getFields().name?.type) === 'String!';
    });
    expect(new Set(named)).toEqual(new Set(NAMED_LABELS));
  });
});
