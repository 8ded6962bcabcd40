import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream } from 'pino';

/**
 * JSON-lines logs on stdout through pino: one line per event with `level` (as a word), `time`
 * (ISO), `msg` and the fields merged in. Errors are flattened with their cause chain so a log
 * reader sees the root failure. Every line written while a request is served carries that
 * request's id (`requestId`, the one on `x-request-id` and in masked errors), through
 * `logContext`, without each caller passing it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

let traceIds = false;

/** While tracing is on, every line written inside a span carries `trace_id` and `span_id`. */
export function includeTraceIdsInLogs(on: boolean): void {
  traceIds = on;
}

/** Facts every log line of the current request carries (set by the HTTP routes). */
export const logContext = new AsyncLocalStorage<{ readonly requestId: string }>();

/**
 * `destination` is for tests; the gateway writes synchronously to stdout so the last lines
 * before an exit (a failed start, a shutdown) are never lost in a buffer.
 */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  const root = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = logContext.getStore()?.requestId;
        const ids = requestId ? { requestId } : {};
        const span = traceIds ? trace.getActiveSpan()?.spanContext() : undefined;
        return span ? { ...ids, trace_id: span.traceId, span_id: span.spanId } : ids;
      },
    },
    destination,
  );
  return wrap(Object.keys(base).length > 0 ? root.child(base) : root);
}

function wrap(log: pino.Logger): Logger {
  return {
    debug: (msg, fields) => log.debug(serialise(fields), msg),
    info: (msg, fields) => log.info(serialise(fields), msg),
    warn: (msg, fields) => log.warn(serialise(fields), msg),
    error: (msg, fields) => log.error(serialise(fields), msg),
    child: (fields) => wrap(log.child(serialise(fields))),
  };
}

function serialise(fields?: Record<string, unknown>): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    out[key] = value instanceof Error ? errorChain(value) : value;
  return out;
}

function errorChain(error: Error): Array<Record<string, unknown>> {
  const chain: Array<Record<string, unknown>> = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 8) {
    chain.push({ name: current.name, message: current.message, code: (current as { code?: unknown }).code });
    current = current.cause;
  }
  return chain;
}
