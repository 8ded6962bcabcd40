import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors/app-error';
import { sendError, sendFile } from './http-util';

/**
 * The dashboard (dashboard/, built by Vite into dist/dashboard) at `/`: its page at `/` (and at
 * any deep link's query string), its hashed assets under `/assets/`. It talks to /graphql on this
 * origin only, over HTTP and graphql-ws; the CSP allows its own scripts and nothing else.
 */
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const ASSET_NAME = /^[A-Za-z0-9._-]+$/;
const csp = (uploadOrigin?: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    // uPlot sizes its canvas and legend with element styles; React sets style attributes too.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // Same-origin fetch and WebSocket (CSP Level 3 browsers let 'self' cover ws(s) to this host),
    // and the object store's origin for presigned uploads.
    `connect-src 'self'${uploadOrigin ? ` ${uploadOrigin}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export interface DashboardRoute {
  wants(req: IncomingMessage, url: URL): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
}

/** `dir` defaults to dist/dashboard beside the compiled server (dist/src/server). */
export function createDashboardRoute(
  dir: string = path.resolve(__dirname, '../../dashboard'),
  uploadOrigin?: string,
): DashboardRoute {
  const policy = csp(uploadOrigin);
  return {
    wants(req, url) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      return url.pathname === '/' || url.pathname === '/index.html' || url.pathname.startsWith('/assets/');
    },
    handle(req, res, url) {
      if (url.pathname.startsWith('/assets/')) {
        const asset = url.pathname.slice('/assets/'.length);
        const type = ASSET_TYPES[path.extname(asset)];
        const file = path.join(dir, 'assets', asset);
        if (!type || !ASSET_NAME.test(asset) || !fs.existsSync(file))
          return sendError(res, new AppError(ErrorCode.NOT_FOUND, `No dashboard asset ${asset}`), false);
        // Vite puts a content hash in every asset name: a name never changes content.
        return sendFile(req, res, file, {
          'content-type': type,
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        });
      }
      const page = path.join(dir, 'index.html');
      if (!fs.existsSync(page))
        return sendError(
          res,
          new AppError(ErrorCode.NOT_FOUND, 'The dashboard is not built; run `npm run build`'),
          false,
        );
      // The page names the current assets: revalidated on every visit so a new build is picked up.
      sendFile(req, res, page, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
    },
  };
}
