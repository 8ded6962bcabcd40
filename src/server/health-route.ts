import type { ServerResponse } from 'node:http';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { sendJson } from './http-util';

/** A dependency readiness asks about: resolves when it answers, rejects (or hangs) when it is down. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export interface HealthRoutes {
  /** Liveness: the process runs and its event loop answers. No dependency is asked. */
  healthz(res: ServerResponse): void;
  /** Readiness: S3 and ClickHouse each answered within the timeout; 503 names which did not. */
  readyz(res: ServerResponse): Promise<void>;
  /** From now on readiness answers 503 `stopping`, so load balancers drain this instance. */
  markStopping(): void;
}

/**
 * What readiness asks: the bucket answers a HeadBucket, and ClickHouse answers `SELECT 1` on the
 * session pool (so a long statement on one session does not make it look down).
 */
export function readinessChecks(store: S3ObjectStore, warehouse: Warehouse): Record<string, ReadinessCheck> {
  return {
    s3: (signal) => store.ping(signal),
    clickhouse: (signal) => warehouse.query(sql`SELECT 1`, { abortSignal: signal }),
  };
}

export function createHealthRoutes(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): HealthRoutes {
  let stopping = false;
  return {
    healthz: (res) => sendJson(res, 200, { status: 'ok' }),
    async readyz(res) {
      if (stopping) return sendJson(res, 503, { status: 'stopping' });
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => probe(checks[name], timeoutMs)));
      const report: Record<string, string> = {};
      names.forEach((name, i) => (report[name] = results[i] ?? 'down'));
      const down = names.filter((name) => report[name] !== 'up');
      sendJson(res, down.length === 0 ? 200 : 503, {
        status: down.length === 0 ? 'ready' : 'unavailable',
        ...report,
        ...(down.length > 0 ? { down } : {}),
      });
    },
    markStopping: () => {
      stopping = true;
    },
  };
}

async function probe(check: ReadinessCheck | undefined, timeoutMs: number): Promise<'up' | 'down'> {
  if (!check) return 'down';
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('down');
    }, timeoutMs);
  });
  try {
    return await Promise.race([check(abort.signal).then(() => 'up' as const), timedOut]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
