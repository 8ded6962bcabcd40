import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { KeyedMutex } from './keyed-mutex';

/**
 * What loads of one dataset, recovery and background work hold so that they do not interleave:
 * within one process (KeyedMutex), or across every gateway replica sharing Redis (RedisLocks).
 */
export interface ReplicaLocks {
  /** Runs `work` holding `key`, waiting for it in arrival order. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Runs `work` holding `key` if it is free now; `undefined` (and no work) when it is not. */
  tryRun<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | undefined>;
  /** True for the one caller (in the whole cluster) that claims `key` within `ttlMs`. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The lock one dataset's loads, recovery, replacements and counts hold (in every replica). */
export function datasetLockKey(dataset: string): string {
  return `dataset:${dataset}`;
}

/** One process: every claim succeeds, and a key is free when nothing of this process holds it. */
export class ProcessLocks implements ReplicaLocks {
  private readonly mutex = new KeyedMutex();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, work);
  }

  async tryRun<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.mutex.busy(key)) return undefined;
    return { value: await this.mutex.run(key, work) };
  }

  async claim(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

const PREFIX = 'kpi-gateway:lock:';
/** Deletes or extends the lock only while it still holds this holder's token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLocksOptions {
  /** How long a lock outlives a holder that stopped renewing it (a crashed replica). */
  readonly ttlMs?: number;
  /** Pause between attempts while another replica holds a key. */
  readonly retryMs?: number;
  /** Told when a held lock was lost (Redis flushed, or renewal late past the expiry). */
  readonly onLost?: (key: string) => void;
}

/**
 * Locks across replicas: `SET key token NX PX ttl`, renewed every third of the ttl while the work
 * runs, released with a compare-and-delete (a holder whose lock expired never removes the next
 * holder's). The token carries a number from one Redis counter (INCR), so holders are ordered
 * (a fencing token: logs and the ledger can tell a later holder from an earlier one). A replica
 * that dies holds its keys for at most the ttl. Within a process, callers queue on a KeyedMutex
 * first, so one replica sends one waiter per key to Redis.
 *
 * Written here rather than taken from a library: the well-kept Redlock implementations bring
 * their own client (ioredis) beside the node-redis client the cache and data versions already use,
 * and the single-Redis case needs only the three commands above.
 */
export class RedisLocks implements ReplicaLocks {
  private readonly client: ReturnType<typeof createClient>;
  private connecting: Promise<unknown> | undefined;
  private readonly local = new KeyedMutex();
  private readonly ttlMs: number;
  private readonly retryMs: number;

  constructor(
    url: string,
    private readonly options: RedisLocksOptions = {},
  ) {
    this.client = createClient({ url });
    this.ttlMs = options.ttlMs ?? 30_000;
    this.retryMs = options.retryMs ?? 50;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      let token: string | undefined;
      while (!(token = await this.acquire(key))) await new Promise((r) => setTimeout(r, this.retryMs));
      return this.holding(key, token, work);
    });
  }

  async tryRun<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.local.busy(key)) return undefined;
    const token = await this.acquire(key);
    if (!token) return undefined;
    return { value: await this.local.run(key, () => this.holding(key, token, work)) };
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const client = await this.connected();
    return (await client.set(`${PREFIX}${key}`, randomUUID(), { NX: true, PX: ttlMs })) === 'OK';
  }

  async close(): Promise<void> {
    if (this.connecting) await this.client.quit().catch(() => undefined);
  }

  private async connected(): Promise<ReturnType<typeof createClient>> {
    this.connecting ??= this.client.connect();
    await this.connecting;
    return this.client;
  }

  private async acquire(key: string): Promise<string | undefined> {
    const client = await this.connected();
    const fence = await client.incr(`${PREFIX}fence`);
    const token = `${fence}:${randomUUID()}`;
    const set = await client.set(`${PREFIX}${key}`, token, { NX: true, PX: this.ttlMs });
    return set === 'OK' ? token : undefined;
  }

  private async holding<T>(key: string, token: string, work: () => Promise<T>): Promise<T> {
    const client = await this.connected();
    const name = `${PREFIX}${key}`;
    const renew = setInterval(() => {
      client
        .eval(RENEW, { keys: [name], arguments: [token, String(this.ttlMs)] })
        .then((renewed) => {
          if (Number(renewed) !== 1) this.options.onLost?.(key);
        })
        .catch(() => this.options.onLost?.(key));
    }, this.ttlMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await client.eval(RELEASE, { keys: [name], arguments: [token] }).catch(() => undefined);
    }
  }
}
