import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { AppError, ErrorCode } from '../errors/app-error';
import { inlineParams } from './inline-params';
import { toFragment, type Sql, type SqlFragment } from './sql';

export interface QueryStatistics {
  readonly elapsedMs: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
}

export interface QueryResult<T> {
  readonly rows: T[];
  readonly statistics: QueryStatistics;
}

export interface QueryOptions {
  readonly settings?: ClickHouseSettings;
  readonly abortSignal?: AbortSignal;
}

/** How results come back: decimals and 64-bit integers as exact strings, never rounded through a double. */
export const OUTPUT_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_decimals: 1,
  output_format_json_quote_64bit_integers: 1,
};

/**
 * Set once on each embedded session instead of with every query: chDB turns each per-query
 * setting into a `SET` statement run before the query (~0.25 ms each), and analysing a query for
 * projections costs it ~0.3–0.5 ms although no table here has one (measured on the daily-rollup
 * totals: 10.4 → 9.4 ms with both projection settings off).
 */
export const EMBEDDED_SESSION_SETTINGS: ClickHouseSettings = {
  ...OUTPUT_SETTINGS,
  optimize_use_projections: 0,
  optimize_use_implicit_projections: 0,
};

/** Every statement the gateway sends, observable for extensions, metrics and query-count tests. */
export type QueryListener = (event: {
  kind: 'query' | 'command';
  query: string;
  statistics?: QueryStatistics;
}) => void;

/**
 * The gateway's only door to ClickHouse. It holds one or more `@clickhouse/client` clients
 * (several chDB sessions on one data path when embedded, so a slow query does not queue the
 * fast ones; one HTTP client with its own socket pool against a server) and always picks the
 * least busy one.
 */
export class Warehouse {
  /** Each client with the number of statements it is running now. */
  private readonly pool: Array<{ readonly client: ClickHouseClient; inFlight: number }>;
  private readonly first: ClickHouseClient;
  private readonly perQuery: ClickHouseSettings;
  private readonly listeners = new Set<QueryListener>();

  constructor(
    private readonly clients: readonly ClickHouseClient[],
    readonly database: string,
    readonly mode: 'embedded' | 'server',
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    // Embedded sessions hold these already (createWarehouse sets them once per session).
    this.perQuery = mode === 'server' ? OUTPUT_SETTINGS : {};
    const [first] = clients;
    if (!first) throw new Error('Warehouse needs at least one client');
    this.first = first;
    this.pool = clients.map((client) => ({ client, inFlight: 0 }));
  }

  onQuery(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async query<T>(statement: Sql | SqlFragment, options: QueryOptions = {}): Promise<QueryResult<T>> {
    const fragment = toFragment(statement);
    return this.withClient(async (client) => {
      const resultSet = await client.query({
        ...this.transport(fragment),
        format: 'JSON',
        clickhouse_settings: { ...this.perQuery, ...options.settings },
        abort_signal: options.abortSignal,
      });
      const body = await resultSet.json<T>();
      const statistics: QueryStatistics = {
        elapsedMs: (body.statistics?.elapsed ?? 0) * 1000,
        rowsRead: Number(body.statistics?.rows_read ?? 0),
        bytesRead: Number(body.statistics?.bytes_read ?? 0),
      };
      this.emit({ kind: 'query', query: fragment.query, statistics });
      return { rows: body.data, statistics };
    }, fragment);
  }

  async command(statement: Sql | SqlFragment, options: QueryOptions = {}): Promise<void> {
    const fragment = toFragment(statement);
    await this.withClient(async (client) => {
      await client.command({
        ...this.transport(fragment),
        clickhouse_settings: options.settings,
        abort_signal: options.abortSignal,
      });
      this.emit({ kind: 'command', query: fragment.query });
    }, fragment);
  }

  /** Server-side binding against a server; typed literals for chDB (see inline-params.ts). */
  private transport(fragment: SqlFragment): { query: string; query_params: Record<string, unknown> } {
    return this.mode === 'embedded'
      ? { query: inlineParams(fragment), query_params: {} }
      : { query: fragment.query, query_params: { ...fragment.params } };
  }

  async ping(): Promise<boolean> {
    const result = await this.first.ping();
    return result.success;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await this.onClose();
  }

  private async withClient<R>(
    work: (client: ClickHouseClient) => Promise<R>,
    fragment: SqlFragment,
  ): Promise<R> {
    const slot = this.pool.reduce((best, candidate) =>
      candidate.inFlight < best.inFlight ? candidate : best,
    );
    slot.inFlight += 1;
    try {
      return await work(slot.client);
    } catch (error) {
      throw toWarehouseError(error, fragment);
    } finally {
      slot.inFlight -= 1;
    }
  }

  private emit(event: Parameters<QueryListener>[0]): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** ClickHouse's own error code/type stay available on the cause and in `details`. */
export function toWarehouseError(error: unknown, fragment?: SqlFragment): AppError {
  if (error instanceof AppError) return error;
  const source = error as { code?: unknown; type?: unknown; message?: unknown };
  const message = typeof source?.message === 'string' ? source.message : String(error);
  return new AppError(ErrorCode.WAREHOUSE_ERROR, `ClickHouse query failed: ${firstLine(message)}`, {
    cause: error,
    details: {
      clickhouseCode: source?.code,
      clickhouseType: source?.type,
      statement: fragment?.query.slice(0, 120),
    },
  });
}

/** The text ClickHouse gave, without the trailing stack-ish noise. */
export function clickhouseMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof AppError && current.cause) current = current.cause;
  const message = (current as { message?: unknown })?.message;
  return typeof message === 'string' ? message : String(current);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
