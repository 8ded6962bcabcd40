import type { ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { responseCacheKey, type CachedResponse } from '../cache/response-cache';
import { applyHttpCachingByTag, callerTag } from './http-cache';

/**
 * How a GraphQL answer leaves the gateway: fresh or from the response cache, with HTTP caching
 * headers on GET answers, and the key under which an answer is stored.
 */

export interface AskedAs {
  readonly method: string;
  readonly requestHeaders: HeaderMap;
  readonly requestId: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: string;
  /** The tag of the answer's data for this caller's access; undefined: not cacheable. */
  readonly etag: string | undefined;
}

export function sendAnswer(res: ServerResponse, asked: AskedAs, answer: Answer, maxAgeSeconds: number): void {
  const cache = applyHttpCachingByTag(
    { method: asked.method, headers: asked.requestHeaders },
    answer,
    maxAgeSeconds,
  );
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('x-request-id', asked.requestId);
  res.statusCode = cache.notModified ? 304 : answer.status;
  res.end(cache.notModified ? undefined : answer.body);
}

interface CachedSend extends AskedAs {
  readonly hit: CachedResponse;
  /** Who asks, for the ETag (see callerTag). */
  readonly caller: string;
}

/** A stored answer; a POST (the common dashboard case) goes out in one write, GETs get their HTTP caching headers. */
export function sendCached(
  res: ServerResponse,
  { method, requestHeaders, requestId, hit, caller }: CachedSend,
  maxAgeSeconds: number,
): void {
  if (method !== 'GET') {
    res.writeHead(hit.status, [...hit.headers, 'x-request-id', requestId]);
    res.end(hit.body);
    return;
  }
  const headers = new HeaderMap();
  for (let i = 0; i + 1 < hit.headers.length; i += 2) {
    const [name, value] = [hit.headers[i], hit.headers[i + 1]];
    if (name !== undefined && value !== undefined && name !== 'content-length') headers.set(name, value);
  }
  sendAnswer(
    res,
    { method, requestHeaders, requestId },
    { status: hit.status, headers, body: hit.body, etag: hit.etag && callerTag(hit.etag, caller) },
    maxAgeSeconds,
  );
}

/**
 * The same bytes asked the same way at the same data generation, by a caller with the same access,
 * get the same answer. Headers that change what Apollo does with a request (content negotiation,
 * CSRF preflight) are part of the key, so a hit is only ever what Apollo itself answered to such a
 * request. The caller's access (roles and dataset scopes), not its credential, partitions the
 * cache: no answer crosses a scope, and callers with equal access share answers.
 */
export function responseKeyOf(
  method: string,
  headers: HeaderMap,
  request: string,
  at: { readonly dataGeneration: number; readonly access: string },
): string | undefined {
  if (method !== 'GET' && method !== 'POST') return undefined;
  return responseCacheKey({
    method,
    request,
    accept: headers.get('accept') ?? '',
    dataGeneration: at.dataGeneration,
    access: at.access,
    negotiation: [
      headers.get('content-type') ?? '',
      headers.get('apollo-require-preflight') ?? '',
      headers.get('x-apollo-operation-name') ?? '',
    ],
  });
}

/** `extensions.kpi` of a stored answer as a hit reports it: every KPI from cache, no ClickHouse work. */
export function asCacheHit(
  extensions: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const kpi = extensions?.kpi as { cache?: { hits?: number; misses?: number } } | undefined;
  if (!kpi) return extensions;
  const answered = (kpi.cache?.hits ?? 0) + (kpi.cache?.misses ?? 0);
  return {
    ...extensions,
    kpi: {
      ...kpi,
      cache: { hits: answered, misses: 0, response: 'HIT' },
      clickhouse: { queries: 0, rowsRead: 0, bytesRead: 0, elapsedMs: 0 },
    },
  };
}
