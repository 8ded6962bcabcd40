import type { ClickHouseSettings } from '@clickhouse/client';
import { ErrorCode } from '../errors/app-error';
import type { WarehouseBounds } from './warehouse';

/** Past ClickHouse's own deadline, the request is aborted too, in case the engine never answers. */
const ABORT_GRACE_MS = 2_000;

/**
 * How a bounded read carries its bounds. ClickHouse enforces both itself: `max_execution_time`
 * cancels the query (TIMEOUT_EXCEEDED), `max_memory_usage` stops it (MEMORY_LIMIT_EXCEEDED).
 * Against a server they are per-request settings, and closing the request cancels the query
 * (`cancel_http_readonly_queries_on_client_close`). chDB turns per-request settings into `SET`s
 * that stay on the session (and would then bound the next load on it), so embedded reads carry
 * them in the statement's own SETTINGS clause, which binds that statement only.
 */
export function boundedRead(
  mode: 'embedded' | 'server',
  bounds: WarehouseBounds,
  callerSignal?: AbortSignal,
): { suffix?: string; settings?: ClickHouseSettings; signal?: AbortSignal } {
  const settings: Record<string, number> = {};
  if (bounds.queryTimeoutSeconds > 0) settings.max_execution_time = bounds.queryTimeoutSeconds;
  if (bounds.queryMemoryBytes > 0) settings.max_memory_usage = bounds.queryMemoryBytes;
  const timeout =
    bounds.queryTimeoutSeconds > 0
      ? AbortSignal.timeout(bounds.queryTimeoutSeconds * 1000 + ABORT_GRACE_MS)
      : undefined;
  const signals = [timeout, callerSignal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  if (mode === 'server')
    return { settings: { ...settings, cancel_http_readonly_queries_on_client_close: 1 }, signal };
  // Numbers from the validated config: seconds may have a fraction (at least 0.001, so never
  // printed in exponent form); bytes are whole.
  const clause = Object.entries(settings)
    .map(([name, value]) => `${name} = ${name === 'max_execution_time' ? value : Math.trunc(value)}`)
    .join(', ');
  return { suffix: clause ? `SETTINGS ${clause}` : undefined, signal };
}

/** ClickHouse's refusals that are limits, not faults: their own codes, so callers can act on them. */
export function limitCodeOf(error: unknown): ErrorCode | undefined {
  const source = error as { code?: unknown; type?: unknown; message?: unknown; name?: unknown } | null;
  const text = `${String(source?.type ?? '')} ${String(source?.message ?? '')}`;
  if (/MEMORY_LIMIT_EXCEEDED|Code: 241\b/.test(text) || String(source?.code) === '241')
    return ErrorCode.MEMORY_LIMIT;
  if (
    /TIMEOUT_EXCEEDED|Code: 159\b/.test(text) ||
    String(source?.code) === '159' ||
    source?.name === 'TimeoutError' ||
    source?.name === 'AbortError' ||
    source?.name === 'ChdbTimeoutError' ||
    source?.name === 'ChdbAbortError'
  )
    return ErrorCode.QUERY_TIMEOUT;
  return undefined;
}
