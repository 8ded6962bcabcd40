import { z } from 'zod';
import { telemetryEnv } from './telemetry-config';

/** Settings for a gateway run as one of several replicas behind a scraper (docs/scaling.md). */
export const scaleOutEnv = {
  /** OpenTelemetry traces, off by default (docs/operations.md, "Tracing"). */
  ...telemetryEnv,
  /**
   * The ClickHouse cluster (a name of its remote_servers) whose replicated, sharded schema
   * (clickhouse/migrations/cluster/) the gateway migrates and reads; needs CLICKHOUSE_URL.
   */
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * A bearer token Prometheus sends to `GET /metrics` when credentials are required; without it,
   * only an admin's credentials read the metrics (see docs/operators.md, "Metrics and logs").
   */
  METRICS_TOKEN: z
    .string()
    .min(32, 'use at least 32 characters (e.g. openssl rand -hex 24)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
};

export interface MetricsSettings {
  readonly token?: string;
}

export function metricsSettings(env: { METRICS_TOKEN?: string }): MetricsSettings {
  return env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {};
}

/** A cluster is a ClickHouse server setting: the embedded engine has none. */
export function checkScaleOutEnv(
  env: { CLICKHOUSE_CLUSTER?: string; CLICKHOUSE_URL?: string },
  ctx: z.RefinementCtx,
): void {
  if (env.CLICKHOUSE_CLUSTER && !env.CLICKHOUSE_URL)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['CLICKHOUSE_CLUSTER'],
      message: 'needs CLICKHOUSE_URL (a cluster is reached through one of its servers)',
    });
}
