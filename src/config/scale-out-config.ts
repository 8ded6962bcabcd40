import { z } from 'zod';

/** Settings for a gateway run as one of several replicas behind a scraper (docs/scaling.md). */
export const scaleOutEnv = {
  /**
   * A bearer token Prometheus sends to `GET /metrics` when credentials are required; without it,
   * only an admin's credentials read the metrics (see docs/operators.md, "Metrics and logs").
   */
  METRICS_TOKEN: z.string().min(32, 'use at least 32 characters (e.g. openssl rand -hex 24)').optional(),
};

export interface MetricsSettings {
  readonly token?: string;
}

export function metricsSettings(env: { METRICS_TOKEN?: string }): MetricsSettings {
  return env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {};
}
