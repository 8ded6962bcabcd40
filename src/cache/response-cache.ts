/** One stored answer: everything needed to send it again without running GraphQL. */
export interface CachedResponse {
  readonly status: number;
  /** Response headers as `writeHead` takes them: name, value, name, value… */
  readonly headers: readonly string[];
  /** The body a hit sends: the original `data`, with `extensions.kpi` saying where it came from. */
  readonly body: string;
  /** The tag of `data` alone, as the HTTP caching layer computes it for GET answers. */
  readonly etag: string | undefined;
}

interface Entry {
  readonly response: CachedResponse;
  readonly expiresAt: number;
  readonly bytes: number;
}

export interface ResponseCacheKeyParts {
  readonly method: string;
  /** The request as sent: a POST body, or a GET's query string. */
  readonly request: string;
  /** Content negotiation picks the response's content type. */
  readonly accept: string;
  /** Changes whenever any dataset's visible data changes: old entries are never read again. */
  readonly dataGeneration: number;
  /** The caller's roles and dataset scopes (`Principal.access`): no stored answer crosses them. */
  readonly access: string;
  /** Request headers that change how the request is handled (content type, CSRF preflight). */
  readonly negotiation: readonly string[];
}

/**
 * The parts joined as they are (no hash: the map hashes strings itself, and the request is at
 * most a GraphQL body). A newline cannot occur in a header value or an access string, so no two
 * part lists collide.
 */
export function responseCacheKey(parts: ResponseCacheKeyParts): string {
  return `${parts.dataGeneration}\n${parts.access}\n${parts.method}\n${parts.accept}\n${parts.negotiation.join('\n')}\n${parts.request}`;
}

/**
 * Whole GraphQL answers of read-only KPI operations, kept in this process so a repeated dashboard
 * request skips parsing, validation, planning and execution. Keys include the catalog's data
 * generation, so an upload that changes what readers see makes every older entry unreachable;
 * entries also expire after the KPI cache's TTL. Memory is bounded by `maxBytes` (least recently
 * used first out). Every replica keeps its own: the key's generation follows the shared data
 * versions, so replicas never serve each other's stale answers.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxBytes > 0;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(key, entry);
    return entry.response;
  }

  set(key: string, response: CachedResponse): void {
    if (!this.enabled) return;
    const bytes = response.body.length * 2 + key.length * 2 + 256;
    if (bytes > this.maxBytes / 4) return;
    this.delete(key);
    this.entries.set(key, { response, expiresAt: this.now() + this.ttlMs, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
