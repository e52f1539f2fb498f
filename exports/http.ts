import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { callerFrom, requireRole } from '../services/shared/auth';
import type { Config } from '../services/shared/config';
import type { Database } from '../services/shared/database';
import { AppError, type ErrorCode } from '../services/shared/errors';
import { send, type Route } from '../services/shared/http';
import { EXPORT_FORMATS, isExportFormat, render } from './formats';
import type { ActorMeasures } from '../services/shared/actor-measures';
import { measureActors, measuresFrom, openExport, scopeFrom } from './graph';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  DATABASE_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 504,
};

/**
 * GET /export/{graphml|json|nodes.csv|edges.csv}?center=<id>&depth=1-3&kinds=A,B&limit=N
 *     &measures=community,betweenness,...&network=<id>&country=<iso2>
 * With `center`: that entity's relationship view, open to anyone (the same data as the relationshipView query).
 * Without: the whole graph, streamed, for researchers (x-api-key with the researcher role), since it is the one
 * request that reads everything. `measures` adds each actor's community and centrality scores as node attributes,
 * computed on the collaboration graph of the scope `network`/`country` names (as the API's `communities` and
 * `centrality` compute them: the same numbers).
 */
export function exportRoutes(db: Database, keys: Pick<Config, 'apiKeys'>, actorMeasures?: ActorMeasures): Record<string, Route> {
  return {
    '/export/': async (req, res, url) => {
      const format = url.pathname.slice('/export/'.length);
      if (req.method !== 'GET') return sendError(res, new AppError('BAD_USER_INPUT', 'Exports are read with GET.'));
      if (!isExportFormat(format)) {
        return sendError(
          res,
          new AppError('NOT_FOUND', `No export format "${format}"; use one of ${Object.keys(EXPORT_FORMATS).join(', ')}.`),
        );
      }
      let graph;
      try {
        const scope = scopeFrom({
          center: url.searchParams.get('center'),
          depth: url.searchParams.get('depth'),
          kinds: url.searchParams.get('kinds'),
          limit: url.searchParams.get('limit'),
        });
        const wanted = measuresFrom({
          measures: url.searchParams.get('measures'),
          network: url.searchParams.get('network'),
          country: url.searchParams.get('country'),
        });
        if (scope.kind === 'whole') requireRole(callerFrom(req.headers, keys.apiKeys), 'researcher');
        graph = await openExport(db, scope, await measureActors(db, wanted, actorMeasures));
      } catch (error) {
        return sendError(res, error);
      }
      const { contentType, file } = EXPORT_FORMATS[format];
      res.writeHead(200, {
        'content-type': contentType,
        'content-disposition': `attachment; filename="${file}"`,
        'cache-control': 'no-store',
      });
      try {
        // pipeline() keeps to the client's pace, and a client that hangs up stops the source, which rolls the
        // read transaction back.
        await pipeline(Readable.from(render(format, graph)), res);
      } catch (error) {
        // Headers are gone: cut the body so the client sees an incomplete transfer, never a file that looks whole.
        if (!res.destroyed) console.error('[export] failed mid-stream:', (error as Error).message);
        res.destroy();
      }
    },
  };
}

function sendError(res: ServerResponse, error: unknown): void {
  if (!(error instanceof AppError)) {
    console.error('[export] unexpected error', error);
    return send(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }
  send(res, STATUS[error.code] ?? 400, { errors: [{ message: error.message, extensions: error.extensions }] });
}
