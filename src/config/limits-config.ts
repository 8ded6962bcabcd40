import { z } from 'zod';

/**
 * Every bound on work, memory and load, with its default. docs/limits.md lists them with the
 * error a caller gets past each; the two stay in step.
 */
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const MIB = 1024 * 1024;

export const limitsEnvSchema = z.object({
  // The document, before anything runs (GraphQL Armor's validation rules).
  GRAPHQL_MAX_DEPTH: count(12),
  GRAPHQL_MAX_ALIASES: count(1000),
  GRAPHQL_MAX_DIRECTIVES: count(50),
  GRAPHQL_MAX_TOKENS: count(50_000),
  // The analytics cost of one operation, priced before any ClickHouse work.
  COST_MAX_SLICES: count(64),
  COST_MAX_BUCKETS: count(50_000),
  COST_MAX_GROUPS: count(2_000),
  COST_MAX_KPIS: count(2_000),
  COST_MAX_RAW_SLICES: count(16),
  COST_MAX_UNITS: count(1_000),
  /** Cost units one caller may spend per window; refused operations spend nothing. */
  COST_BUDGET_UNITS: count(20_000),
  COST_BUDGET_WINDOW_SECONDS: count(60),
  /** Buckets of one series (range ÷ grain). */
  SERIES_MAX_BUCKETS: count(10_000),
  // Memory.
  KPI_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * MIB),
  CHDB_MAX_QUERY_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 * MIB),
  CHDB_MAX_SERVER_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(8192 * MIB),
  // Time and queues.
  /** Fractions allowed (ClickHouse takes them): 0.5 is half a second. */
  QUERY_TIMEOUT_SECONDS: z.coerce.number().min(0.001).max(86_400).default(30),
  /** Queries waiting for a warehouse session; past it OVERLOADED. */
  WAREHOUSE_QUEUE_MAX: count(256),
  /** GraphQL operations running at once, and waiting for a turn, over all callers. */
  GRAPHQL_MAX_CONCURRENT: count(8),
  GRAPHQL_QUEUE_MAX: count(64),
  /** The same per caller: one caller cannot fill the gateway's queue. */
  CALLER_MAX_CONCURRENT: count(4),
  CALLER_QUEUE_MAX: count(16),
  /** How long an operation may wait for a turn before it is refused. */
  QUEUE_WAIT_MS: count(1_000),
  /** A GraphQL body (at most 1 MiB) must arrive whole within this long: a stalled one holds a socket. */
  GRAPHQL_BODY_TIMEOUT_MS: count(10_000),
  // Rate limits per caller (token buckets: a sustained rate and a burst).
  RATE_LIMIT_QUERIES_PER_SECOND: count(100),
  RATE_LIMIT_QUERIES_BURST: count(200),
  RATE_LIMIT_UPLOADS_PER_MINUTE: count(60),
  RATE_LIMIT_UPLOADS_BURST: count(20),
  // WebSocket connections (subscriptions) held open at once, over all callers and per caller.
  WS_MAX_CONNECTIONS: count(1_000),
  WS_CALLER_MAX_CONNECTIONS: count(20),
});

export type LimitsEnv = z.infer<typeof limitsEnvSchema>;

export interface LimitsConfig {
  readonly document: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
  };
  readonly cost: {
    readonly maxSlices: number;
    readonly maxBuckets: number;
    readonly maxGroups: number;
    readonly maxKpis: number;
    readonly maxRawSlices: number;
    readonly maxUnits: number;
    readonly budgetUnits: number;
    readonly budgetWindowMs: number;
    readonly maxSeriesBuckets: number;
  };
  readonly memory: {
    readonly kpiCacheMaxBytes: number;
    readonly chdbQueryBytes: number;
    readonly chdbServerBytes: number;
  };
  readonly load: {
    readonly queryTimeoutSeconds: number;
    readonly warehouseQueueMax: number;
    readonly maxConcurrent: number;
    readonly queueMax: number;
    readonly callerMaxConcurrent: number;
    readonly callerQueueMax: number;
    readonly queueWaitMs: number;
    readonly graphqlBodyTimeoutMs: number;
    readonly queriesPerSecond: number;
    readonly queriesBurst: number;
    readonly uploadsPerMinute: number;
    readonly uploadsBurst: number;
    /** Open WebSocket connections, over all callers and per caller; past either the socket is closed with 1013. */
    readonly wsMaxConnections: number;
    readonly wsCallerMaxConnections: number;
  };
}

export function toLimitsConfig(env: LimitsEnv): LimitsConfig {
  return {
    document: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
    },
    cost: {
      maxSlices: env.COST_MAX_SLICES,
      maxBuckets: env.COST_MAX_BUCKETS,
      maxGroups: env.COST_MAX_GROUPS,
      maxKpis: env.COST_MAX_KPIS,
      maxRawSlices: env.COST_MAX_RAW_SLICES,
      maxUnits: env.COST_MAX_UNITS,
      budgetUnits: env.COST_BUDGET_UNITS,
      budgetWindowMs: env.COST_BUDGET_WINDOW_SECONDS * 1000,
      maxSeriesBuckets: env.SERIES_MAX_BUCKETS,
    },
    memory: {
      kpiCacheMaxBytes: env.KPI_CACHE_MAX_BYTES,
      chdbQueryBytes: env.CHDB_MAX_QUERY_MEMORY_BYTES,
      chdbServerBytes: env.CHDB_MAX_SERVER_MEMORY_BYTES,
    },
    load: {
      queryTimeoutSeconds: env.QUERY_TIMEOUT_SECONDS,
      warehouseQueueMax: env.WAREHOUSE_QUEUE_MAX,
      maxConcurrent: env.GRAPHQL_MAX_CONCURRENT,
      queueMax: env.GRAPHQL_QUEUE_MAX,
      callerMaxConcurrent: env.CALLER_MAX_CONCURRENT,
      callerQueueMax: env.CALLER_QUEUE_MAX,
      queueWaitMs: env.QUEUE_WAIT_MS,
      graphqlBodyTimeoutMs: env.GRAPHQL_BODY_TIMEOUT_MS,
      queriesPerSecond: env.RATE_LIMIT_QUERIES_PER_SECOND,
      queriesBurst: env.RATE_LIMIT_QUERIES_BURST,
      uploadsPerMinute: env.RATE_LIMIT_UPLOADS_PER_MINUTE,
      uploadsBurst: env.RATE_LIMIT_UPLOADS_BURST,
      wsMaxConnections: env.WS_MAX_CONNECTIONS,
      wsCallerMaxConnections: env.WS_CALLER_MAX_CONNECTIONS,
    },
  };
}

/** The defaults, for tests and tools that build a gateway without reading the environment. */
export const DEFAULT_LIMITS: LimitsConfig = toLimitsConfig(limitsEnvSchema.parse({}));
