import type http from 'node:http';
import type { Logger } from '../config/logger';

export interface Draining {
  /** Stops accepting connections and resolves once every request in flight has been answered. */
  drain(): Promise<void>;
  /** Closes every connection still open (their requests are cut off). */
  interrupt(): void;
}

/** Counts requests in flight so a stop can wait for exactly those. */
export function drainOnStop(server: http.Server): Draining {
  let active = 0;
  let stopping = false;
  let idle: (() => void) | null = null;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    active += 1;
    // Keep-alive clients learn with this answer that the connection ends.
    if (stopping) res.shouldKeepAlive = false;
    res.once('close', () => {
      active -= 1;
      if (active === 0) idle?.();
    });
  });
  return {
    drain: () => {
      stopping = true;
      server.close();
      server.closeIdleConnections();
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (idle = resolve));
    },
    interrupt: () => server.closeAllConnections(),
  };
}

export interface StopSteps {
  /** Stop taking work and wait for what is in flight. */
  drain(): Promise<void>;
  /** What is still running when the wait is over is cut off (and reported). */
  interrupt(): Promise<void>;
  /** Close every part (ClickHouse, S3, caches). */
  stop(): Promise<void>;
}

/**
 * A stop that ends within `timeoutMs` whatever hangs: requests get most of the time to finish, a
 * reserve is kept for closing the parts. Resolves true when every request finished and every part
 * closed in time.
 */
export async function stopWithin(timeoutMs: number, logger: Logger, steps: StopSteps): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const reserve = Math.min(3000, Math.floor(timeoutMs * 0.3));
  const drained = await within(steps.drain(), deadline - reserve - Date.now());
  if (!drained) {
    logger.warn('shutdown: requests still running at the deadline; closing their connections');
    await within(steps.interrupt(), Math.min(1000, deadline - Date.now()));
  }
  const closed = await within(steps.stop(), deadline - Date.now());
  if (!closed) logger.warn('shutdown: some parts did not close in time; exiting anyway', { timeoutMs });
  return drained && closed;
}

/** True when `work` settled within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))),
  );
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
