import type { FieldNode } from 'graphql';
import { badInput } from './errors';

/** What a client asks of a list: how many items, after which cursor (the `first`/`after` arguments). */
export interface PageWindowArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  offset: number;
  limit: number;
  /** Count the whole list too (default yes); false when the client reads neither totalCount nor pageInfo. */
  withTotal?: boolean;
}

const PREFIX = 'o:';
export const encodeCursor = (offset: number): string => Buffer.from(`${PREFIX}${offset}`).toString('base64url');

/**
 * Reads `first`/`after` into an offset window; rejects a bad cursor or a page above `maxPageSize` (the configured
 * MAX_PAGE_SIZE, which a request's context carries) with BAD_USER_INPUT.
 */
export function toPage(args: PageWindowArgs, maxPageSize: number): Page {
  const limit = args.first ?? Math.min(20, maxPageSize);
  if (!Number.isInteger(limit) || limit < 0) throw badInput('first', 'must be a non-negative integer');
  if (limit > maxPageSize) throw badInput('first', `must be at most ${maxPageSize} (MAX_PAGE_SIZE)`);
  let offset = 0;
  if (args.after !== undefined && args.after !== null) {
    const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
    const value = Number(decoded.slice(PREFIX.length));
    if (!decoded.startsWith(PREFIX) || !Number.isInteger(value) || value < 0) throw badInput('after', 'is not a cursor this API returned');
    offset = value + 1;
  }
  return { offset, limit };
}

/**
 * Whether a connection field's selection reads its total (`totalCount`, or `pageInfo`, whose hasNextPage needs it).
 * A fragment counts as reading it, to be safe.
 */
export const selectsTotal = (fieldNodes: readonly FieldNode[]): boolean =>
  fieldNodes.some(
    (node) =>
      node.selectionSet?.selections.some((s) => s.kind !== 'Field' || s.name.value === 'totalCount' || s.name.value === 'pageInfo') ?? true,
  );
