import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors/app-error';
import { sendError, sendFile } from './http-util';

/**
 * The offline GraphiQL playground (built by scripts/build-playground.mjs into dist/playground).
 * A browser gets it at /playground, and at /graphql when it asks for HTML without an operation;
 * every other /graphql request goes to Apollo. The page may only load from this origin (CSP).
 */
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const ASSET_NAME = /^[A-Za-z0-9._-]+$/;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  // Monaco and GraphiQL set element styles at run time; fonts are inlined data URLs.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PlaygroundRoute {
  wants(req: IncomingMessage, url: URL): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
}

/** `dir` defaults to dist/playground beside the compiled server (dist/src/server). */
export function createPlaygroundRoute(
  dir: string = path.resolve(__dirname, '../../playground'),
): PlaygroundRoute {
  return {
    wants(req, url) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (
        url.pathname === '/playground' ||
        url.pathname === '/playground/' ||
        url.pathname.startsWith('/playground/assets/')
      )
        return true;
      return url.pathname === '/graphql' && browserWantsPage(req, url);
    },
    handle(req, res, url) {
      const asset = url.pathname.startsWith('/playground/assets/')
        ? url.pathname.slice('/playground/assets/'.length)
        : null;
      if (asset !== null) {
        const type = ASSET_TYPES[path.extname(asset)];
        const file = path.join(dir, 'assets', asset);
        if (!type || !ASSET_NAME.test(asset) || !fs.existsSync(file)) {
          return sendError(res, new AppError(ErrorCode.NOT_FOUND, `No playground asset ${asset}`), false);
        }
        // Asset names carry a content hash: they never change.
        return sendFile(req, res, file, {
          'content-type': type,
          'cache-control': 'public, max-age=31536000, immutable',
        });
      }
      const page = path.join(dir, 'index.html');
      if (!fs.existsSync(page)) {
        return sendError(
          res,
          new AppError(ErrorCode.NOT_FOUND, 'The playground is not built; run `npm run build`'),
          false,
        );
      }
      sendFile(req, res, page, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        vary: 'accept',
      });
    },
  };
}

/** A browser navigating to /graphql: it prefers HTML and sends no operation. */
function browserWantsPage(req: IncomingMessage, url: URL): boolean {
  if (url.searchParams.has('query') || url.searchParams.has('extensions')) return false;
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((type) => type.trim().toLowerCase().startsWith('text/html'));
}
