import type { ServerResponse } from 'node:http';
import type { LimitsConfig } from '../config/limits-config';
import { AppError, ErrorCode } from '../errors/app-error';
import { TokenBuckets } from '../graphql/limits/token-buckets';

interface Waiter {
  readonly caller: string;
  readonly admit: () => void;
}

/**
 * Bounded admission for GraphQL operations that miss the response cache: at most
 * `maxConcurrent` run at once (each may send several queries to the session pool), at most
 * `queueMax` wait, and one caller may hold at most `callerMaxConcurrent` running and
 * `callerQueueMax` waiting, so a single caller can neither fill the queue nor starve the others
 * (a freed turn goes to the first waiter whose caller is under its share). Past a bound the
 * request is refused at once with OVERLOADED (503 + Retry-After); so is one whose expected wait
 * (the queue ahead of it × the recent time an operation runs ÷ the turns) is past `queueWaitMs`,
 * rather than after waiting that long for nothing; a waiter that still gets no turn in time is
 * refused then. Refusing fast keeps the latency of what is admitted bounded.
 */
export class AdmissionGate {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly runningBy = new Map<string, number>();
  private readonly waitingBy = new Map<string, number>();
  /** Moving average of how long an admitted operation runs, in ms. */
  private runMs = 0;
  refused = 0;

  constructor(private readonly limits: LimitsConfig['load']) {}

  /** Resolves with a release function once the request may run; rejects with OVERLOADED. */
  admit(caller: string): Promise<() => void> {
    const mine = this.runningBy.get(caller) ?? 0;
    if (this.running < this.limits.maxConcurrent && mine < this.limits.callerMaxConcurrent) {
      this.start(caller);
      return Promise.resolve(this.releaser(caller));
    }
    const waiting = this.waitingBy.get(caller) ?? 0;
    if (this.queue.length >= this.limits.queueMax)
      return Promise.reject(this.overloaded('the gateway queue is full', this.limits.queueMax));
    if (waiting >= this.limits.callerQueueMax)
      return Promise.reject(this.overloaded("this caller's queue is full", this.limits.callerQueueMax));
    const expectedWaitMs = ((this.queue.length + 1) * this.runMs) / this.limits.maxConcurrent;
    if (expectedWaitMs > this.limits.queueWaitMs)
      return Promise.reject(
        this.overloaded(
          `the expected wait of ${Math.round(expectedWaitMs)} ms is too long`,
          this.limits.queueWaitMs,
        ),
      );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.queue.indexOf(waiter);
        if (index < 0) return;
        this.queue.splice(index, 1);
        this.count(this.waitingBy, caller, -1);
        reject(this.overloaded(`no turn within ${this.limits.queueWaitMs} ms`, this.limits.queueWaitMs));
      }, this.limits.queueWaitMs);
      // The request being served keeps the process alive, not its deadline.
      timer.unref();
      const waiter: Waiter = {
        caller,
        admit: () => {
          clearTimeout(timer);
          resolve(this.releaser(caller));
        },
      };
      this.queue.push(waiter);
      this.count(this.waitingBy, caller, 1);
    });
  }

  get load(): { running: number; waiting: number; refused: number } {
    return { running: this.running, waiting: this.queue.length, refused: this.refused };
  }

  private start(caller: string): void {
    this.running += 1;
    this.count(this.runningBy, caller, 1);
  }

  private releaser(caller: string): () => void {
    let released = false;
    const started = performance.now();
    return () => {
      if (released) return;
      released = true;
      const ms = performance.now() - started;
      this.runMs = this.runMs === 0 ? ms : 0.9 * this.runMs + 0.1 * ms;
      this.running -= 1;
      this.count(this.runningBy, caller, -1);
      this.next();
    };
  }

  private next(): void {
    while (this.running < this.limits.maxConcurrent) {
      const index = this.queue.findIndex(
        (w) => (this.runningBy.get(w.caller) ?? 0) < this.limits.callerMaxConcurrent,
      );
      if (index < 0) return;
      const [waiter] = this.queue.splice(index, 1);
      if (!waiter) return;
      this.count(this.waitingBy, waiter.caller, -1);
      this.start(waiter.caller);
      waiter.admit();
    }
  }

  private count(map: Map<string, number>, caller: string, delta: number): void {
    const next = (map.get(caller) ?? 0) + delta;
    if (next <= 0) map.delete(caller);
    else map.set(caller, next);
  }

  private overloaded(why: string, limit: number): AppError {
    this.refused += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil(this.limits.queueWaitMs / 1000));
    return new AppError(
      ErrorCode.OVERLOADED,
      `The gateway is busy (${why}); retry after ${retryAfterSeconds} s`,
      {
        details: { limit, retryAfterSeconds },
      },
    );
  }
}

/** Per-caller request rates: GraphQL requests per second, uploads per minute (see token-buckets.ts). */
export class RateLimits {
  private readonly queries: TokenBuckets;
  private readonly uploads: TokenBuckets;

  constructor(private readonly limits: LimitsConfig['load']) {
    this.queries = new TokenBuckets(limits.queriesBurst, limits.queriesPerSecond / 1000);
    this.uploads = new TokenBuckets(limits.uploadsBurst, limits.uploadsPerMinute / 60_000);
  }

  /** Throws RATE_LIMITED when the caller has no token left for this kind of request. */
  take(kind: 'query' | 'upload', caller: string): void {
    const take = (kind === 'query' ? this.queries : this.uploads).take(caller);
    if (take.ok) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
    const rate =
      kind === 'query'
        ? `${this.limits.queriesPerSecond} requests per second (burst ${this.limits.queriesBurst})`
        : `${this.limits.uploadsPerMinute} uploads per minute (burst ${this.limits.uploadsBurst})`;
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Rate limit of ${rate} reached; retry after ${retryAfterSeconds} s`,
      {
        details: { kind, retryAfterSeconds },
      },
    );
  }
}

/** A refusal before GraphQL ran, shaped as a GraphQL response, with `Retry-After`. */
export function sendGraphQLRefusal(res: ServerResponse, error: AppError, requestId: string): void {
  const body = JSON.stringify({
    errors: [{ message: error.message, extensions: { code: error.code, details: error.details } }],
  });
  const retryAfter = error.details.retryAfterSeconds;
  res.writeHead(error.httpStatus, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
  });
  res.end(body);
}
