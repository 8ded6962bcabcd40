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
  /** Tells every replica (this one included) that a dataset's data changed; `watch` hears it. */
  announce(change: DataChange): Promise<void>;
  /** Hears every announced change from now on (resolves once listening). */
  watch(listener: (change: DataChange) => void): Promise<void>;
  close(): Promise<void>;
}

/** An upload changed what readers of a dataset see: it became LOADED, or was REPLACED. */
export interface DataChange {
  readonly dataset: string;
  readonly dataVersion: number;
  readonly uploadId: string;
  readonly status: 'LOADED' | 'REPLACED';
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

  private readonly listeners: Array<(change: DataChange) => void> = [];

  async announce(change: DataChange): Promise<void> {
    for (const listener of this.listeners) listener(change);
  }

  async watch(listener: (change: DataChange) => void): Promise<void> {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
  }
}

const HASH = 'kpi-gateway:data-versions';
/** The hash's own field naming its run; dataset names cannot contain '@'. */
const EPOCH = '@epoch';
/** Changes travel by pub/sub: a notice for whoever listens now, the hash stays the record. */
const CHANNEL = 'kpi-gateway:data-changes';

/** Several replicas: one Redis hash, bumped atomically with HINCRBY and read with one HGETALL. */
export class RedisDataVersions implements DataVersions {
  private readonly client: ReturnType<typeof createClient>;
  private connecting: Promise<unknown> | undefined;
  /** A connection in subscriber mode can send nothing else, so listening takes a second one. */
  private subscriber: ReturnType<typeof createClient> | undefined;
  private subscribing: Promise<unknown> | undefined;
  private readonly listeners: Array<(change: DataChange) => void> = [];

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

  async announce(change: DataChange): Promise<void> {
    const client = await this.connected();
    await client.publish(CHANNEL, JSON.stringify(change));
  }

  async watch(listener: (change: DataChange) => void): Promise<void> {
    this.listeners.push(listener);
    if (!this.subscriber) {
      this.subscriber = this.client.duplicate();
      // It reconnects by itself; a notice lost meanwhile is made up by the next operation's refresh.
      this.subscriber.on('error', () => undefined);
    }
    const subscriber = this.subscriber;
    this.subscribing ??= subscriber.connect().then(() =>
      subscriber.subscribe(CHANNEL, (message) => {
        const change = parseChange(message);
        if (change) for (const each of this.listeners) each(change);
      }),
    );
    await this.subscribing;
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
    if (this.subscribing) await this.subscriber?.quit().catch(() => undefined);
    if (this.connecting) await this.client.quit().catch(() => undefined);
  }
}

/** A notice from another replica; one that does not parse (another version's) is ignored. */
function parseChange(message: string): DataChange | undefined {
  try {
    const change = JSON.parse(message) as Partial<DataChange>;
    if (
      typeof change.dataset === 'string' &&
      typeof change.dataVersion === 'number' &&
      typeof change.uploadId === 'string' &&
      (change.status === 'LOADED' || change.status === 'REPLACED')
    )
      return change as DataChange;
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
