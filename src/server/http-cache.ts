import { createHash } from 'node:crypto';
import type { HeaderMap } from '@apollo/server';

/**
 * HTTP caching of GET query responses, so a dashboard's repeated queries (GET by persisted hash)
 * can be answered by browser and proxy caches. Answers change whenever an upload finishes, so
 * by default a cache must revalidate every time (max-age=0): the ETag makes that a 304 without
 * a body. Operators may allow a few seconds of staleness with HTTP_CACHE_MAX_AGE_SECONDS.
 * Anything else (POST, errors) keeps `no-store`.
 */
export interface CacheDecision {
  /** Answer 304 Not Modified instead of the body. */
  readonly notModified: boolean;
}

/** The request as caching sees it. */
export interface CachingRequest {
  readonly method: string;
  readonly headers: HeaderMap;
}

/** The response as caching sees it; its headers receive the caching headers. */
export interface CachingResponse {
  readonly status: number;
  readonly headers: HeaderMap;
}

export function applyHttpCaching(
  request: CachingRequest,
  response: CachingResponse & { readonly body: string },
  maxAgeSeconds: number,
): CacheDecision {
  const data =
    request.method === 'GET' && response.status === 200 ? successfulData(response.body) : undefined;
  return applyHttpCachingByTag(
    request,
    { ...response, etag: data === undefined ? undefined : dataTag(data) },
    maxAgeSeconds,
  );
}

/** The tag covers the answer only: `extensions` (cache use, timings) differ on every request. */
export function dataTag(data: string): string {
  return `"${createHash('sha256').update(data).digest('base64url').slice(0, 32)}"`;
}

/**
 * The tag a caller is given for an answer: it also covers who asks (principal and access), so an
 * ETag validates (304) only for the caller it was issued to, never across principals or scopes,
 * even over equal data.
 */
export function callerTag(tag: string, caller: string): string {
  return `"${createHash('sha256').update(caller).update('\n').update(tag).digest('base64url').slice(0, 32)}"`;
}

/** `applyHttpCaching` when the tag of the answer's data is already known (undefined: not cacheable). */
export function applyHttpCachingByTag(
  request: CachingRequest,
  response: CachingResponse & { readonly etag: string | undefined },
  maxAgeSeconds: number,
): CacheDecision {
  const { method, headers: requestHeaders } = request;
  const { status, etag, headers: responseHeaders } = response;
  if (method !== 'GET' || status !== 200 || etag === undefined) return { notModified: false };
  // A response to a request with credentials must never be shared between users.
  const scope = requestHeaders.has('authorization') || requestHeaders.has('x-api-key') ? 'private' : 'public';
  responseHeaders.set('cache-control', `${scope}, max-age=${maxAgeSeconds}, must-revalidate`);
  responseHeaders.set('etag', etag);
  const vary = new Set(
    (responseHeaders.get('vary') ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
  );
  vary.add('accept').add('authorization').add('x-api-key');
  responseHeaders.set('vary', [...vary].join(', '));
  const ifNoneMatch = requestHeaders.get('if-none-match');
  const notModified =
    ifNoneMatch !== undefined &&
    ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
  return { notModified };
}

function successfulData(body: string): string | undefined {
  return successfulDataOf(parseResult(body));
}

/** The `data` of a complete result without errors, serialised; undefined when not cacheable (an error may be transient). */
export function successfulDataOf(parsed: ParsedResult | undefined): string | undefined {
  return parsed && parsed.errors === undefined && parsed.data !== undefined && parsed.data !== null
    ? JSON.stringify(parsed.data)
    : undefined;
}

export interface ParsedResult {
  readonly data?: unknown;
  readonly errors?: unknown;
  readonly extensions?: Record<string, unknown>;
}

export function parseResult(body: string): ParsedResult | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as ParsedResult) : undefined;
  } catch {
    return undefined;
  }
}
