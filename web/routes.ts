import { createReadStream, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { send, type Route } from '../services/shared/http';
import { WEB_ASSETS_DIR } from './build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only flat file names we built: no path can climb out of the assets folder. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The browser side of the gateway: /explore (the explorer page), /graphiql (GraphiQL), and /assets/<file> (the
 * bundles, among them /assets/ogp-relationship-view.js for apps that embed the component).
 */
export function webRoutes(dir = WEB_ASSETS_DIR): Record<string, Route> {
  return {
    '/explore': (_req, res) => serveFile(res, dir, 'explore.html'),
    '/graphiql': (_req, res) => serveFile(res, dir, 'graphiql.html'),
    '/assets/': (_req, res, url) => serveFile(res, dir, decodeURIComponent(url.pathname.slice('/assets/'.length))),
  };
}

function serveFile(res: ServerResponse, dir: string, name: string): void {
  const type = TYPES[extname(name)];
  if (!SAFE_NAME.test(name) || !type) return send(res, 404, { error: `no asset ${name}` });
  const path = join(dir, name);
  if (!existsSync(path)) {
    return send(res, existsSync(dir) ? 404 : 503, {
      error: existsSync(dir) ? `no asset ${name}` : 'The web assets are not built: run `npm run build`.',
    });
  }
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  createReadStream(path).pipe(res);
}
