import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors/app-error';
import { authEnv, authSettings, checkAuthEnv, type AuthSettings } from './auth-config';
import { checkScaleOutEnv, metricsSettings, scaleOutEnv, type MetricsSettings } from './scale-out-config';
import { tracingSettings, type TracingSettings } from './telemetry-config';
import { limitsEnvSchema, toLimitsConfig, type LimitsConfig } from './limits-config';

/**
 * The only reader of process.env. Parsed once at boot, frozen, failing fast with the variable's
 * name. Unset CLICKHOUSE_URL / S3_ENDPOINT select the embedded default (chDB + local S3 server).
 */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.toLowerCase();
  } catch {
    return false;
  }
}

export interface CsvLimits {
  readonly maxLineBytes: number;
  readonly maxFieldBytes: number;
  readonly maxColumns: number;
}

/** The defaults of CSV_MAX_LINE_BYTES, CSV_MAX_FIELD_BYTES and CSV_MAX_COLUMNS. */
export const DEFAULT_CSV_LIMITS: CsvLimits = Object.freeze({
  maxLineBytes: 1024 * 1024,
  maxFieldBytes: 64 * 1024,
  maxColumns: 1000,
});

const envSchema = z
  .object({
    // Unset (or empty) behaves like production: errors are masked unless a developer asks otherwise.
    NODE_ENV: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(['development', 'production', 'test']).default('production'),
    ),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATA_DIR: z.string().default('.data'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),

    CLICKHOUSE_URL: z.string().url().optional(),
    CLICKHOUSE_USER: z.string().default('default'),
    CLICKHOUSE_PASSWORD: z.string().default(''),
    CLICKHOUSE_DATABASE: identifier.default('kpi'),
    CHDB_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(3),
    MIGRATE_ON_START: flag.optional(),

    S3_ENDPOINT: z.string().url().optional(),
    /** The S3 endpoint as ClickHouse reaches it (differs from S3_ENDPOINT inside docker compose). */
    S3_ENDPOINT_FOR_CLICKHOUSE: z.string().url().optional(),
    /** The S3 endpoint as browsers and scripts reach it, for presigned uploads (differs inside docker compose). */
    S3_PUBLIC_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name')
      .default('kpi-uploads'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: flag.default('true'),
    /** Origins the gateway's pages are opened from (behind a proxy); the embedded S3 server's CORS allows only these. */
    PUBLIC_ORIGINS: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? v.split(',').map((o) => o.trim()) : undefined))
      .refine((list) => !list || list.every(isOrigin), 'must be origins like https://kpi.example.com'),
    /** Port of the embedded S3 server; 0 picks a free one. */
    EMBEDDED_S3_PORT: z.coerce.number().int().min(0).max(65535).default(0),

    REDIS_URL: z.string().url().optional(),
    CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(3600),
    /** Memory for whole answers of repeated KPI operations in this process; 0 turns that cache off. */
    RESPONSE_CACHE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .default(64 * 1024 * 1024),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 1024 ** 3),
    /** Longest physical line of an uploaded CSV (the header included); longer lines reject the upload. */
    CSV_MAX_LINE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_CSV_LIMITS.maxLineBytes),
    /** Longest field (cell) of an uploaded CSV, quoted or not. */
    CSV_MAX_FIELD_BYTES: z.coerce.number().int().min(64).default(DEFAULT_CSV_LIMITS.maxFieldBytes),
    /** Most header columns an uploaded CSV may have (every dataset kind has far fewer). */
    CSV_MAX_COLUMNS: z.coerce.number().int().min(16).max(10_000).default(DEFAULT_CSV_LIMITS.maxColumns),
    /** An upload body that sends nothing for this long is answered 408 and dropped. */
    UPLOAD_BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** An upload body must have arrived completely within this long (408 otherwise). */
    UPLOAD_BODY_TIMEOUT_MS: z.coerce.number().int().positive().default(3_600_000),
    /** ClickHouse's S3 reads during a load fail after this long without a byte (then a few retries). */
    LOAD_S3_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** A load statement is cancelled after this long (ClickHouse max_execution_time). */
    LOAD_MAX_SECONDS: z.coerce.number().int().positive().default(3600),
    /** SIGTERM: stop accepting, let requests finish, then close everything within this bound. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
    /** /readyz waits this long for S3 and for ClickHouse before calling either down. */
    READY_CHECK_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
    /** Objects of REJECTED/FAILED/DUPLICATE uploads, and objects no upload knows, are removed after this long. */
    ORPHAN_GRACE_SECONDS: z.coerce.number().int().min(0).default(86_400),

    /** Only registered operations (codegen's manifest of operations/) run; see README "Contract and clients". */
    OPERATIONS_ALLOW_LIST: flag.default('false'),
    OPERATIONS_MANIFEST: z.string().default('operations/generated/persisted-documents.json'),
    /** max-age of GET query responses; 0 = caches revalidate every time (answers change on upload). */
    HTTP_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
    ...authEnv,
    ...scaleOutEnv,
  })
  .merge(limitsEnvSchema)
  .superRefine((env, ctx) => {
    checkAuthEnv(env, ctx);
    checkScaleOutEnv(env, ctx);
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['S3_ACCESS_KEY_ID'],
        message: 'required when S3_ENDPOINT is set',
      });
    }
    if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
      });
    }
    if (env.OPERATIONS_ALLOW_LIST && !fs.existsSync(path.resolve(env.OPERATIONS_MANIFEST))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['OPERATIONS_MANIFEST'],
        message: `no file at ${path.resolve(env.OPERATIONS_MANIFEST)} (required when OPERATIONS_ALLOW_LIST is on)`,
      });
    }
  });

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly clickhouse:
    | {
        readonly mode: 'embedded';
        readonly path: string;
        readonly poolSize: number;
        readonly database: string;
      }
    | {
        readonly mode: 'server';
        readonly url: string;
        readonly user: string;
        readonly password: string;
        readonly database: string;
        /** CLICKHOUSE_CLUSTER: migrations from clickhouse/migrations/cluster/ (docs/scaling.md). */
        readonly cluster?: string;
      };
  readonly migrateOnStart: boolean;
  /** PUBLIC_ORIGINS; absent: the gateway's own origins, known once it listens. */
  readonly publicOrigins?: readonly string[];
  readonly s3: {
    readonly mode: 'embedded' | 'external';
    readonly endpoint?: string;
    readonly endpointForClickHouse?: string;
    readonly endpointForClients?: string;
    readonly region: string;
    readonly bucket: string;
    /** Unset in embedded mode without configured keys: the gateway generates a pair per data dir. */
    readonly accessKeyId?: string;
    readonly secretAccessKey?: string;
    readonly forcePathStyle: boolean;
    readonly embeddedPort: number;
    readonly embeddedDirectory: string;
  };
  readonly cache: {
    readonly redisUrl?: string;
    readonly ttlSeconds: number;
    readonly responseMaxBytes: number;
  };
  readonly uploadMaxBytes: number;
  /** Bounds on an uploaded CSV's shape, checked while it streams in. */
  readonly csv: CsvLimits;
  readonly uploadBody: { readonly idleMs: number; readonly totalMs: number };
  readonly load: { readonly s3TimeoutMs: number; readonly maxSeconds: number };
  readonly lifecycle: {
    readonly shutdownTimeoutMs: number;
    readonly readyCheckTimeoutMs: number;
    readonly orphanGraceSeconds: number;
  };
  readonly operations: {
    readonly allowListOnly: boolean;
    readonly manifest: string;
    readonly httpCacheMaxAgeSeconds: number;
  };
  /** Callers, their roles and datasets; Host allow-list; introspection and playground (docs/security.md). */
  readonly auth: AuthSettings;
  /** Bounds on work, memory and load (docs/limits.md). */
  readonly limits: LimitsConfig;
  /** Who may read `GET /metrics` besides an admin. */
  readonly metrics: MetricsSettings;
  readonly tracing: TracingSettings;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${problems}`, {
      cause: parsed.error,
    });
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const embeddedClickHouse = !env.CLICKHOUSE_URL;
  const config: Config = {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    logLevel: env.LOG_LEVEL,
    clickhouse: env.CLICKHOUSE_URL
      ? {
          mode: 'server',
          url: env.CLICKHOUSE_URL,
          user: env.CLICKHOUSE_USER,
          password: env.CLICKHOUSE_PASSWORD,
          database: env.CLICKHOUSE_DATABASE,
          ...(env.CLICKHOUSE_CLUSTER ? { cluster: env.CLICKHOUSE_CLUSTER } : {}),
        }
      : {
          mode: 'embedded',
          path: path.join(dataDir, 'chdb'),
          poolSize: env.CHDB_POOL_SIZE,
          database: env.CLICKHOUSE_DATABASE,
        },
    migrateOnStart: env.MIGRATE_ON_START ?? embeddedClickHouse,
    ...(env.PUBLIC_ORIGINS ? { publicOrigins: env.PUBLIC_ORIGINS } : {}),
    s3: {
      mode: env.S3_ENDPOINT ? 'external' : 'embedded',
      endpoint: env.S3_ENDPOINT,
      endpointForClickHouse: env.S3_ENDPOINT_FOR_CLICKHOUSE ?? env.S3_ENDPOINT,
      endpointForClients: env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      embeddedPort: env.EMBEDDED_S3_PORT,
      embeddedDirectory: path.join(dataDir, 's3'),
    },
    cache: {
      redisUrl: env.REDIS_URL,
      ttlSeconds: env.CACHE_TTL_SECONDS,
      responseMaxBytes: env.RESPONSE_CACHE_MAX_BYTES,
    },
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    csv: {
      maxLineBytes: env.CSV_MAX_LINE_BYTES,
      maxFieldBytes: Math.min(env.CSV_MAX_FIELD_BYTES, env.CSV_MAX_LINE_BYTES),
      maxColumns: env.CSV_MAX_COLUMNS,
    },
    uploadBody: { idleMs: env.UPLOAD_BODY_IDLE_TIMEOUT_MS, totalMs: env.UPLOAD_BODY_TIMEOUT_MS },
    load: { s3TimeoutMs: env.LOAD_S3_TIMEOUT_MS, maxSeconds: env.LOAD_MAX_SECONDS },
    lifecycle: {
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      readyCheckTimeoutMs: env.READY_CHECK_TIMEOUT_MS,
      orphanGraceSeconds: env.ORPHAN_GRACE_SECONDS,
    },
    operations: {
      allowListOnly: env.OPERATIONS_ALLOW_LIST,
      manifest: path.resolve(env.OPERATIONS_MANIFEST),
      httpCacheMaxAgeSeconds: env.HTTP_CACHE_MAX_AGE_SECONDS,
    },
    auth: authSettings(env),
    limits: toLimitsConfig(env),
    metrics: metricsSettings(env),
    tracing: tracingSettings(env),
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
