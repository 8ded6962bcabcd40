import type http from 'node:http';

/**
 * CORS on the embedded object store, for the dashboard's presigned uploads: the page (on the
 * gateway's origin) PUTs a file straight to this server, another origin. Only the origins the
 * gateway serves its pages from get CORS headers; any other page's preflight is refused and its
 * requests get none, so its script cannot read an answer. CORS decides what a browser lets a page
 * read, not who may write: every request still needs a valid signature (sigv4-verifier.ts).
 */
export type CorsOrigins = () => readonly string[];

const METHODS = ['GET', 'HEAD', 'PUT'];
/** What a browser's presigned PUT may add: its body's type and S3's own headers. */
const ALLOWED_HEADER = /^(content-type|content-md5|x-amz-[a-z0-9-]+)$/;
const PREFLIGHT_MAX_AGE_SECONDS = 600;

function allowedOrigin(req: http.IncomingMessage, origins: CorsOrigins): string | undefined {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return undefined;
  const wanted = origin.toLowerCase();
  return origins().some((allowed) => allowed.toLowerCase() === wanted) ? origin : undefined;
}

/**
 * Answers a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`); false for any other
 * request. Refused as S3 refuses one: 403, `AccessForbidden`, no CORS headers.
 */
export function answerPreflight(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origins: CorsOrigins,
): boolean {
  const method = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || typeof method !== 'string') return false;
  const origin = allowedOrigin(req, origins);
  const headers = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
  if (!origin || !METHODS.includes(method) || !headers.every((name) => ALLOWED_HEADER.test(name))) {
    res.writeHead(403, { 'content-type': 'application/xml', vary });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>',
    );
    return true;
  }
  res.writeHead(200, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': METHODS.join(', '),
    ...(headers.length > 0 ? { 'access-control-allow-headers': headers.join(', ') } : {}),
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
    vary,
  });
  res.end();
  return true;
}

/** On an allowed origin's request: may read the answer, and its ETag (as an S3 CORS rule would expose). */
export function addCorsHeaders(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origins: CorsOrigins,
): void {
  res.setHeader('vary', 'Origin');
  const origin = allowedOrigin(req, origins);
  if (!origin) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', 'ETag');
}
