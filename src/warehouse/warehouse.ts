import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { AppError, ErrorCode } from '../errors/app-error';
import { inlineParams } from './inline-params';
import { boundedRead, limitCodeOf } from './query-bounds';
import { SessionQueue } from './session-queue';
import { toFragment, type Sql, type SqlFragment } from './sql';
import { statementSpan } from './statement-span';
import { inSpan, tracingActive } from '../telemetry/spans';

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
  /**
   * A read on behalf of a caller (KPI queries): bounded in time and memory by `QueryBounds`,
   * which ClickHouse enforces itself (it cancels the query), backed by aborting the request.
   * Loads and ledger statements are not bounded this way: a 5 GB upload legitimately runs long.
   */
  readonly bounded?: boolean;
}

/** Bounds of `bounded` reads and of the session pool (see config/limits-config.ts). */
export interface WarehouseBounds {
  readonly queryTimeoutSeconds: number;
  /** Memory of one bounded read; 0 = ClickHouse's default. */
  readonly queryMemoryBytes: number;
  /** Statements waiting for a session before OVERLOADED. */
  readonly queueMax: number;
}

export interface WarehouseOptions {
  readonly onClose?: () => Promise<void>;
  readonly bounds?: WarehouseBounds;
}

/** How results come back: decimals and 64-bit integers as exact strings, never rounded through a double. */
export const OUTPUT_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_decimals: 1,
  output_format_json_quote_64bit_integers: 1,
};

/**
 * Set once on each embedded session instead of with every query: chDB turns each per-query
 * setting into a `SET` statement run before the query, and analysing a query for projections
 * costs it time although no table here has one (measured: docs/architecture.md, "Measured
 * reasons").
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
  private readonly sessions: SessionQueue;
  private readonly perQuery: ClickHouseSettings;
  private readonly listeners = new Set<QueryListener>();
  private readonly onClose: () => Promise<void>;
  readonly bounds: WarehouseBounds;

  constructor(
    private readonly clients: readonly ClickHouseClient[],
    readonly database: string,
    readonly mode: 'embedded' | 'server',
    options: WarehouseOptions = {},
  ) {
    // Embedded sessions hold these already (createWarehouse sets them once per session).
    this.perQuery = mode === 'server' ? OUTPUT_SETTINGS : {};
    if (clients.length === 0) throw new Error('Warehouse needs at least one client');
    this.onClose = options.onClose ?? (async () => {});
    this.bounds = options.bounds ?? { queryTimeoutSeconds: 0, queryMemoryBytes: 0, queueMax: 1_000_000 };
    // A chDB session runs one statement at a time; an HTTP client has its own socket pool.
    this.sessions = new SessionQueue(clients.length, mode === 'embedded' ? 1 : 32, this.bounds.queueMax);
  }

  onQuery(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async query<T>(statement: Sql | SqlFragment, options: QueryOptions = {}): Promise<QueryResult<T>> {
    const fragment = toFragment(statement);
    const bounded = options.bounded ? boundedRead(this.mode, this.bounds, options.abortSignal) : undefined;
    const run = () =>
      this.withClient(async (client) => {
        const transport = this.transport(fragment);
        const resultSet = await client.query({
          ...transport,
          query: bounded?.suffix ? `${transport.query}\n${bounded.suffix}` : transport.query,
          format: 'JSON',
          clickhouse_settings: { ...this.perQuery, ...bounded?.settings, ...options.settings },
          abort_signal: bounded?.signal ?? options.abortSignal,
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
    if (!tracingActive()) return run();
    return inSpan(...statementSpan(fragment, this), async (span) => {
      const result = await run();
      span?.setAttributes({
        'db.response.returned_rows': result.rows.length,
        'kpi.clickhouse.rows_read': result.statistics.rowsRead,
        'kpi.clickhouse.bytes_read': result.statistics.bytesRead,
        'kpi.clickhouse.elapsed_ms': result.statistics.elapsedMs,
      });
      return result;
    });
  }

  async command(statement: Sql | SqlFragment, options: QueryOptions = {}): Promise<void> {
    const fragment = toFragment(statement);
    const run = () =>
      this.withClient(async (client) => {
        await client.command({
          ...this.transport(fragment),
          clickhouse_settings: options.settings,
          abort_signal: options.abortSignal,
        });
        this.emit({ kind: 'command', query: fragment.query });
      }, fragment);
    if (!tracingActive()) return run();
    return inSpan(...statementSpan(fragment, this), run);
  }

  /** Server-side binding against a server; typed literals for chDB (see inline-params.ts). */
  private transport(fragment: SqlFragment): { query: string; query_params: Record<string, unknown> } {
    return this.mode === 'embedded'
      ? { query: inlineParams(fragment), query_params: {} }
      : { query: fragment.query, query_params: { ...fragment.params } };
  }

  async ping(): Promise<boolean> {
    const [client] = this.clients;
    return client ? (await client.ping()).success : false;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await this.onClose();
  }

  /** Statements waiting for a session now. */
  get waiting(): number {
    return this.sessions.waiting;
  }

  private async withClient<R>(
    work: (client: ClickHouseClient) => Promise<R>,
    fragment: SqlFragment,
  ): Promise<R> {
    const index = await this.sessions.acquire();
    const client = this.clients[index];
    try {
      if (!client) throw new Error(`No warehouse session ${index}`);
      return await work(client);
    } catch (error) {
      if (client && this.mode === 'embedded') await flushSession(client);
      throw toWarehouseError(error, fragment);
    } finally {
      this.sessions.release(index);
    }
  }

  private emit(event: Parameters<QueryListener>[0]): void {
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * A chDB session whose statement failed after it began writing its output (a query cancelled for
 * time or memory) keeps that partial output and hands it out before the next statement's: one
 * throwaway statement takes it, so the next caller's answer is its own.
 */
async function flushSession(client: ClickHouseClient): Promise<void> {
  try {
    await (await client.query({ query: 'SELECT 1', format: 'TabSeparated' })).text();
  } catch {
    // The session answers the next statement or fails it: nothing more to do here.
  }
}

/** ClickHouse's own error code/type stay available on the cause and in `details`. */
export function toWarehouseError(error: unknown, fragment?: SqlFragment): AppError {
  if (error instanceof AppError) return error;
  const source = error as { code?: unknown; type?: unknown; message?: unknown };
  const message = typeof source?.message === 'string' ? source.message : String(error);
  const limit = limitCodeOf(error);
  if (limit)
    return new AppError(
      limit,
      limit === ErrorCode.MEMORY_LIMIT
        ? 'The query needs more memory than the gateway allows; ask for a shorter range, fewer groups or a coarser grain'
        : 'The query ran past the time limit and was cancelled; ask for a shorter range or a coarser grain',
      { cause: error, details: { clickhouseCode: source?.code, clickhouseType: source?.type } },
    );
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
