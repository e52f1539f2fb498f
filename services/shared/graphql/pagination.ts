import type { GraphQLResolveInfo } from 'graphql';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { encodeCursor, selectsTotal, toPage, type Page } from '../page';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'How many items to return (default 20, at most MAX_PAGE_SIZE).' })
  first?: number;

  @Field({ nullable: true, description: 'Return items after this cursor (from pageInfo.endCursor).' })
  after?: string;
}

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items precede this page.' })
  hasPreviousPage!: boolean;

  @Field({ nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor?: string;

  @Field({ nullable: true, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' })
  endCursor?: string;
}

export { encodeCursor, toPage, type Page } from '../page';

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** Whether a connection field's selection reads its total (see `selectsTotal`); true without one. */
export const needsTotal = (info: GraphQLResolveInfo | undefined): boolean => !info || selectsTotal(info.fieldNodes);

/** One item of a page; its cursor is encoded only when a client reads it (most select only the nodes). */
class PageEdge<T> {
  constructor(
    readonly node: T,
    private readonly position: number,
  ) {}

  get cursor(): string {
    return encodeCursor(this.position);
  }
}

/** Builds a connection from one page of items (already sliced by the database) and the total count. */
export function connectionFrom<T>(items: T[], page: Page, totalCount: number): Connection<T> {
  const edges = items.map((node, i) => new PageEdge(node, page.offset + i));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + items.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor,
      endCursor: edges[edges.length - 1]?.cursor,
    },
  };
}

/** Pages an in-memory list (used for an entity's own relationships, which are short). */
export function connectionFromList<T>(all: T[], args: PageArgs, maxPageSize: number): Connection<T> {
  const page = toPage(args, maxPageSize);
  return connectionFrom(all.slice(page.offset, page.offset + page.limit), page, all.length);
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type. Each subgraph declares connections only for the
 * types it owns, so names never collide across subgraphs.
 */
export function ConnectionType(name: string, nodeType: () => ClassType | object, description: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item; pass it as `after` to continue after it.' })
    cursor!: string;

    @Field(nodeType as () => ClassType, { description: `The ${name}.` })
    node!: unknown;
  }

  @ObjectType(`${name}Connection`, { description })
  class ConnectionClass {
    @Field(() => [Edge], { description: 'The items of this page, in a stable order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Where this page sits in the whole list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds, across all pages.' })
    totalCount!: number;
  }
  return ConnectionClass;
}
