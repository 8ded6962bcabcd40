import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';

/**
 * Each dataset's data version: a counter bumped whenever what queries can see changes (an upload
 * starts loading, or finishes after loading). It is part of every cache key, and gateway replicas
 * compare it with their own to know when to re-read a dataset's state from the upload ledger.
 */
export interface DataVersions {
  bump(dataset: string): Promise<number>;
  /** Every dataset's current version. */
  readAll(): Promise<SharedVersions>;
  close(): Promise<void>;
}

export interface SharedVersions {
  /**
   * Names this run of the counters: it changes when they were lost (Redis restarted without
   * persistence, a flush, an eviction) and count again from 0, where an old value may come back.
   */
  readonly epoch: string | undefined;
  readonly versions: Map<string, number>;
}

/** One process: the counter lives here. */
export class MemoryDataVersions implements DataVersions {
  private readonly versions = new Map<string, number>();

  async bump(dataset: string): Promise<number> {
    const next = (this.versions.get(dataset) ?? 0) + 1;
    this.versions.set(dataset, next);
    return next;
  }

  async readAll(): Promise<SharedVersions> {
    return { epoch: undefined, versions: new Map(this.versions) };
  }

  async close(): Promise<void> {}
}

const HASH = 'kpi-gateway:data-versions';
/** The hash's own field naming its run; dataset names cannot contain '@'. */
const EPOCH = '@epoch';

/** Several replicas: one Redis hash, bumped atomically with HINCRBY and read with one HGETALL. */
export class RedisDataVersions implements DataVersions {
  private readonly client: ReturnType<typeof createClient>;
  private connecting: Promise<unknown> | undefined;

  constructor(url: string) {
    this.client = createClient({ url });
  }

  private async connected(): Promise<ReturnType<typeof createClient>> {
    this.connecting ??= this.client.connect();
    await this.connecting;
    return this.client;
  }

  async bump(dataset: string): Promise<number> {
    const client = await this.connected();
    // A hash counted again from 0 gets a new epoch before its first new value.
    await client.hSetNX(HASH, EPOCH, randomUUID());
    return client.hIncrBy(HASH, dataset, 1);
  }

  async readAll(): Promise<SharedVersions> {
    const client = await this.connected();
    const { [EPOCH]: epoch, ...all } = await client.hGetAll(HASH);
    const versions = new Map(Object.entries(all).map(([dataset, version]) => [dataset, Number(version)]));
    if (epoch !== undefined) return { epoch, versions };
    await client.hSetNX(HASH, EPOCH, randomUUID());
    return { epoch: (await client.hGet(HASH, EPOCH)) ?? undefined, versions };
  }

  async close(): Promise<void> {
    if (this.connecting) await this.client.quit().catch(() => undefined);
  }
}
