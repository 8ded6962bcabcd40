import { z } from 'zod';

/**
 * OpenTelemetry traces (docs/operations.md, "Tracing"): off unless asked for. The standard
 * `OTEL_*` names are read here, and only here; the SDK is then given every value explicitly.
 */
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

export const telemetryEnv = {
  /** Turns tracing on or off; unset: on exactly when an OTLP endpoint is set. */
  OTEL_TRACES_ENABLED: flag.optional(),
  /** The OpenTelemetry specification's switch that turns every SDK off, whatever else is set. */
  OTEL_SDK_DISABLED: flag.optional(),
  /** Base URL of an OTLP/HTTP receiver (a collector); traces go to `<this>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** The full traces URL, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  /** `name=value,name=value` headers sent with every export (e.g. a collector's API key). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('kpi-gateway'),
  /** Fraction of new traces recorded (parent-based: a caller's sampled flag is followed). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

type TelemetryEnv = z.infer<z.ZodObject<typeof telemetryEnv>>;

export interface TracingSettings {
  readonly enabled: boolean;
  /** Where spans are sent (OTLP/HTTP, protobuf). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly sampleRatio: number;
}

const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

export function tracingSettings(env: TelemetryEnv): TracingSettings {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const enabled = env.OTEL_SDK_DISABLED ? false : (env.OTEL_TRACES_ENABLED ?? endpoint !== undefined);
  return {
    enabled,
    url:
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      `${(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '')}/v1/traces`,
    headers: parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: env.OTEL_SERVICE_NAME,
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
  };
}

/** The specification's format: comma-separated `key=value`, values URL-encoded. */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}
