import { createClient } from '@keyv/redis';

/**
 * Each dataset's data version: a counter bumped whenever what queries can see changes (an upload
 * starts loading, or finishes after loading). It is part of every cache key, and gateway replicas
 * compare it with their own to know when to re-read a dataset's state from the upload ledger.
 */
export interface DataVersions {
  bump(dataset: string): Promise<number>;
  /** Every dataset's current version. */
  readAll(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** One process: the counter lives here. */
export class MemoryDataVersions implements DataVersions {
  private readonly versions = new Map<string, number>();

  async bump(dataset: string): Promise<number> {
    const next = (this.versions.get(dataset) ?? 0) + 1;
    this.versions.set(dataset, next);
    return next;
  }

  async readAll(): Promise<Map<string, number>> {
    return new Map(this.versions);
  }

  async close(): Promise<void> {}
}

const HASH = 'kpi-gateway:data-versions';

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
    return (await this.connected()).hIncrBy(HASH, dataset, 1);
  }

  async readAll(): Promise<Map<string, number>> {
    const all = await (await this.connected()).hGetAll(HASH);
    return new Map(Object.entries(all).map(([dataset, version]) => [dataset, Number(version)]));
  }

  async close(): Promise<void> {
    if (this.connecting) await this.client.quit().catch(() => undefined);
  }
}
