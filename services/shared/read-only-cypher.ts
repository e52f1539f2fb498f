import neo4j, { isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isNode, isPath, isPoint, isRelationship, isTime, type ManagedTransaction } from 'neo4j-driver';
import type { Database, Params } from './database';
import { AppError } from './errors';

export interface CypherAnswer {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** True when the query had more rows than the cap; the rest were discarded, never sent. */
  truncated: boolean;
}

/** Plan operators that reach outside the database even in a read transaction. */
const REFUSED_OPERATORS = new Set(['LoadCSV']);

/**
 * Runs a researcher's Cypher with three locks, each enough on its own for writes:
 *  1. EXPLAIN first: Neo4j itself classifies the query; anything but a pure read (`r`) is refused, including schema
 *     and DBMS commands (`s`), and LOAD CSV (which reads files or URLs from the server) is refused by its plan.
 *  2. It runs in a READ transaction, where Neo4j rejects any write that slipped through.
 *  3. The transaction is never committed with changes: it only streams rows, at most `maxRows`, then stops.
 * The configured transaction timeout applies to both round trips.
 */
export async function runReadOnlyCypher(db: Database, cypher: string, params: Params, maxRows: number): Promise<CypherAnswer> {
  const text = cypher.trim();
  if (!text) throw new AppError('BAD_USER_INPUT', 'query: empty', { field: 'query' });
  if (/^\s*(EXPLAIN|PROFILE)\b/i.test(text)) throw new AppError('BAD_USER_INPUT', 'query: send the query itself, without EXPLAIN or PROFILE', { field: 'query' });
  const typed = integersAsCypherIntegers(params) as Params;
  return db.read(async (tx) => {
    await refuseUnlessPureRead(tx, text, typed);
    const result = tx.run(text, typed);
    const rows: Array<Record<string, unknown>> = [];
    let columns: string[] = [];
    let truncated = false;
    for await (const record of result) {
      columns = record.keys as string[];
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(Object.fromEntries(record.keys.map((key) => [key, plainValue(record.get(key))])));
    }
    if (rows.length === 0) columns = ((await result.keys()) as string[]) ?? [];
    return { columns, rows, truncated };
  }).catch((error: unknown) => {
    throw asClientError(error);
  });
}

async function refuseUnlessPureRead(tx: ManagedTransaction, cypher: string, params: Params): Promise<void> {
  const explained = await tx.run(`EXPLAIN ${cypher}`, params);
  const kind = explained.summary.queryType;
  if (kind !== 'r') {
    const what = kind === 's' ? 'schema or administration commands' : 'writes';
    throw new AppError('FORBIDDEN', `Read-only Cypher: this query would run ${what} (query type "${kind}"); only reads are allowed.`);
  }
  const operators = operatorsOf(explained.summary.plan as PlanNode | false);
  const refused = operators.find((op) => REFUSED_OPERATORS.has(op.replace(/@.*$/, '')));
  if (refused) throw new AppError('FORBIDDEN', 'Read-only Cypher: LOAD CSV is not allowed (it reads files or URLs from the server).');
}

interface PlanNode {
  operatorType: string;
  children: PlanNode[];
}

function operatorsOf(plan: PlanNode | false): string[] {
  if (!plan) return [];
  return [plan.operatorType, ...plan.children.flatMap((child) => operatorsOf(child))];
}

/** Neo4j's own refusals and syntax errors are the researcher's to fix: pass them on as BAD_USER_INPUT. */
function asClientError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'Neo.ClientError.Statement.AccessMode') return new AppError('FORBIDDEN', 'Read-only Cypher: writes are not allowed.');
  if (code.startsWith('Neo.ClientError.Statement.') || code.startsWith('Neo.ClientError.Procedure.')) {
    return new AppError('BAD_USER_INPUT', `query: ${(error as Error).message.split('\n')[0]}`, { field: 'query', neo4jCode: code });
  }
  return error;
}

/** JSON numbers that are whole become Cypher integers, so `LIMIT $n` and `range(0, $n)` work as written. */
function integersAsCypherIntegers(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return neo4j.int(value);
  if (Array.isArray(value)) return value.map(integersAsCypherIntegers);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, integersAsCypherIntegers(v)]));
  return value;
}

/** Any Cypher value as plain JSON: graph elements keep their element id, labels or type, and properties. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (isNode(value as never)) {
    const node = value as unknown as { elementId: string; labels: string[]; properties: Record<string, unknown> };
    return { elementId: node.elementId, labels: node.labels, properties: plainValue(node.properties) };
  }
  if (isRelationship(value as never)) {
    const rel = value as unknown as { elementId: string; type: string; startNodeElementId: string; endNodeElementId: string; properties: Record<string, unknown> };
    return { elementId: rel.elementId, type: rel.type, start: rel.startNodeElementId, end: rel.endNodeElementId, properties: plainValue(rel.properties) };
  }
  if (isPath(value as never)) {
    const path = value as unknown as { start: unknown; segments: Array<{ relationship: unknown; end: unknown }> };
    return { nodes: [plainValue(path.start), ...path.segments.map((s) => plainValue(s.end))], relationships: path.segments.map((s) => plainValue(s.relationship)) };
  }
  if (isPoint(value as never)) {
    const point = value as unknown as { srid: number; x: number; y: number; z?: number };
    return { srid: point.srid, x: point.x, y: point.y, ...(point.z === undefined ? {} : { z: point.z }) };
  }
  const v = value as never;
  if (isDate(v) || isDateTime(v) || isLocalDateTime(v) || isLocalTime(v) || isTime(v) || isDuration(v)) return String(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v2]) => [k, plainValue(v2)]));
  return value;
}
