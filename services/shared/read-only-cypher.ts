import neo4j, {
  isDate,
  isDateTime,
  isDuration,
  isLocalDateTime,
  isLocalTime,
  isNode,
  isPath,
  isPoint,
  isRelationship,
  isTime,
  type ManagedTransaction,
} from 'neo4j-driver';
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

/** Listings a researcher may read: they describe the schema, nothing of other users or the server. */
const OPEN_LISTINGS = new Set(['ShowIndexes', 'ShowConstraints']);

/**
 * The procedures a read-only query may call: the schema's own description and full-text search. Anything else is
 * refused before it runs, even read-mode ones: `dbms.*` lists other users' queries and connections or changes the
 * server, `db.*` writers create tokens or clear caches, and a plugin a user adds (APOC) brings file and network access.
 */
const ALLOWED_PROCEDURES = new Set([
  'db.labels',
  'db.relationshipTypes',
  'db.propertyKeys',
  'db.schema.visualization',
  'db.schema.nodeTypeProperties',
  'db.schema.relTypeProperties',
  'db.index.fulltext.queryNodes',
  'db.index.fulltext.queryRelationships',
]);

/**
 * Runs a researcher's Cypher with three locks, each enough on its own for writes:
 *  1. EXPLAIN first: Neo4j itself classifies the query; anything but a pure read (`r`) is refused, including schema
 *     and DBMS commands (`s`); by its plan, LOAD CSV (which reads files or URLs from the server) and every procedure
 *     not on the allow-list are refused too.
 *  2. It runs in a READ transaction, where Neo4j rejects any write that slipped through.
 *  3. The transaction is never committed with changes: it only streams rows, at most `maxRows`, then stops.
 * The configured transaction timeout applies to both round trips.
 */
export async function runReadOnlyCypher(db: Database, cypher: string, params: Params, maxRows: number): Promise<CypherAnswer> {
  const text = cypher.trim();
  if (!text) throw new AppError('BAD_USER_INPUT', 'query: empty', { field: 'query' });
  if (/^\s*(EXPLAIN|PROFILE)\b/i.test(text))
    throw new AppError('BAD_USER_INPUT', 'query: send the query itself, without EXPLAIN or PROFILE', { field: 'query' });
  const typed = integersAsCypherIntegers(params) as Params;
  return db
    .read(async (tx) => {
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
    })
    .catch((error: unknown) => {
      throw asClientError(error);
    });
}

async function refuseUnlessPureRead(tx: ManagedTransaction, cypher: string, params: Params): Promise<void> {
  // Plugin functions (APOC's among them) can read files and URLs; Cypher's own cannot. Refused before planning, so
  // the answer is the same whether the plugin is installed or not.
  if (/\bapoc\s*\./i.test(cypher)) throw new AppError('FORBIDDEN', 'Read-only Cypher: APOC procedures and functions are not allowed.');
  const explained = await tx.run(`EXPLAIN ${cypher}`, params);
  const kind = explained.summary.queryType;
  if (kind !== 'r') {
    const what = kind === 's' ? 'schema or administration commands' : 'writes';
    throw new AppError('FORBIDDEN', `Read-only Cypher: this query would run ${what} (query type "${kind}"); only reads are allowed.`);
  }
  const operators = operatorsOf(explained.summary.plan as PlanNode | false);
  const refused = operators.find((op) => REFUSED_OPERATORS.has(op.type));
  if (refused) throw new AppError('FORBIDDEN', 'Read-only Cypher: LOAD CSV is not allowed (it reads files or URLs from the server).');
  // SHOW TRANSACTIONS reads other users' queries and their parameters, SHOW SETTINGS the server's configuration,
  // TERMINATE stops others' work, though Neo4j classes them as reads. Only the schema's own listings stay open.
  const command = operators.find((op) => /^(Show|Terminate)/.test(op.type) && !OPEN_LISTINGS.has(op.type));
  if (command)
    throw new AppError(
      'FORBIDDEN',
      `Read-only Cypher: ${command.type.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()} is not allowed; SHOW INDEXES and SHOW CONSTRAINTS are.`,
    );
  for (const op of operators.filter((o) => o.type === 'ProcedureCall')) {
    const name = /^\s*([\w.]+)\s*\(/.exec(op.details)?.[1] ?? op.details;
    if (!ALLOWED_PROCEDURES.has(name)) {
      throw new AppError(
        'FORBIDDEN',
        `Read-only Cypher: the procedure ${name} is not allowed; these are: ${[...ALLOWED_PROCEDURES].join(', ')}.`,
      );
    }
  }
}

interface PlanNode {
  operatorType: string;
  arguments?: Record<string, unknown>;
  children: PlanNode[];
}

/** Every operator of a plan, its type without the runtime suffix (`Filter@neo4j`) and its details text. */
function operatorsOf(plan: PlanNode | false): Array<{ type: string; details: string }> {
  if (!plan) return [];
  return [
    { type: plan.operatorType.replace(/@.*$/, ''), details: String(plan.arguments?.Details ?? '') },
    ...plan.children.flatMap((child) => operatorsOf(child)),
  ];
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
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, integersAsCypherIntegers(v)]));
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
    const rel = value as unknown as {
      elementId: string;
      type: string;
      startNodeElementId: string;
      endNodeElementId: string;
      properties: Record<string, unknown>;
    };
    return {
      elementId: rel.elementId,
      type: rel.type,
      start: rel.startNodeElementId,
      end: rel.endNodeElementId,
      properties: plainValue(rel.properties),
    };
  }
  if (isPath(value as never)) {
    const path = value as unknown as { start: unknown; segments: Array<{ relationship: unknown; end: unknown }> };
    return {
      nodes: [plainValue(path.start), ...path.segments.map((s) => plainValue(s.end))],
      relationships: path.segments.map((s) => plainValue(s.relationship)),
    };
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
