import type { IncomingMessage } from 'node:http';
import { AppError, ErrorCode } from '../errors/app-error';

/**
 * Checks on the request itself, before credentials: the Host header (DNS rebinding) and, for
 * uploads, cross-site requests (CSRF). See docs/security.md.
 */

/** A page on another site that resolves its own name to this machine still sends that name as Host. */
export function assertHostAllowed(req: IncomingMessage, allowed: readonly string[] | null): void {
  if (allowed === null) return;
  const host = req.headers.host ?? '';
  let name: string | undefined;
  try {
    name = host === '' ? undefined : new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    name = undefined;
  }
  if (name === undefined || !allowed.includes(name))
    throw new AppError(
      ErrorCode.FORBIDDEN,
      `Host ${JSON.stringify(host.slice(0, 100))} is not served here; the operator lists accepted names in ALLOWED_HOSTS`,
      { details: { host: host.slice(0, 100) } },
    );
}

/** Content types a browser sends cross-site without asking first (CORS-safelisted). */
const SIMPLE_CONTENT_TYPES = new Set([
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);
/** Headers a browser only sends after a CORS preflight, which this gateway never grants. */
const PREFLIGHT_HEADERS = [
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'authorization',
  'x-api-key',
];

/**
 * The upload route's CSRF protection, the same idea as Apollo's for GraphQL: a browser on another
 * site must not be able to post rows. A foreign (or `null`) Origin is refused outright. A simple
 * request (a CORS-safelisted content type and no preflight-forcing header) is refused when a
 * browser says it is not same-origin (`Sec-Fetch-Site`). Scripts and the CLI send neither header:
 * they keep working, so do `curl --data-binary` and `fetch` with a string body.
 */
export function assertNotCrossSite(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host))
    throw crossSite(`Origin ${origin.slice(0, 100)}`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const simple =
    SIMPLE_CONTENT_TYPES.has(type) && !PREFLIGHT_HEADERS.some((name) => req.headers[name] !== undefined);
  const site = req.headers['sec-fetch-site'];
  if (simple && site !== undefined && site !== 'same-origin' && site !== 'none')
    throw crossSite(`a ${site} request with content type ${type || '(none)'}`);
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

function crossSite(what: string): AppError {
  return new AppError(
    ErrorCode.FORBIDDEN,
    `Cross-site upload refused (${what}): upload from this gateway's own pages, or send a non-form content type such as text/csv`,
  );
}
