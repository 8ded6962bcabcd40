import type { ClickHouseSettings } from '@clickhouse/client';
import type { Upload } from '../datasets/upload';
import { param, sql, type Sql } from '../warehouse/sql';

/** The marker a load's object guard throws with; found again in ClickHouse's message. */
const OBJECT_CHANGED = 'OBJECT_CHANGED';
const OBJECT_CHANGED_REASON = `${OBJECT_CHANGED}: the object at the upload key is not the one received`;

/**
 * The load statement's check that it reads the version the gateway received: ClickHouse's `_etag`
 * and `_size` of the object it actually reads must be the ones recorded when the bytes were hashed.
 */
export function objectGuard(expect: { etag: string; bytes: number }): Sql {
  return sql`throwIf(_etag != ${expect.etag} OR _size != ${param(expect.bytes, 'UInt64')}, ${OBJECT_CHANGED_REASON}) = 0`;
}

/**
 * An upload whose checksum is known (received before: a retry or a recovered load) read back with
 * other content is not loaded: the failure to record, or null when the content matches.
 */
export function objectChangedSinceReceipt(
  upload: Upload,
  file: { readonly sha256: string },
): { code: string; message: string } | null {
  if (!upload.sha256 || upload.sha256 === file.sha256) return null;
  return { code: OBJECT_CHANGED, message: objectChangedMessage };
}

const objectChangedMessage =
  'The stored file is not the one that was received (its checksum, ETag or size changed); nothing was loaded. Upload the file again.';

export interface LoadLimits {
  /** ClickHouse's S3 socket idle time for the load's reads. */
  readonly s3TimeoutMs: number;
  /** The load statement's max_execution_time. */
  readonly maxSeconds: number;
}

const DEFAULT_LIMITS: LoadLimits = { s3TimeoutMs: 30_000, maxSeconds: 3600 };

/**
 * A load whose S3 reads stall must end instead of holding its dataset forever: reads fail after the
 * idle time, are retried a few times only, and the statement has an overall deadline.
 */
export function loadLimitSettings(limits: LoadLimits = DEFAULT_LIMITS): ClickHouseSettings {
  return {
    s3_request_timeout_ms: String(limits.s3TimeoutMs),
    s3_connect_timeout_ms: String(Math.min(limits.s3TimeoutMs, 10_000)),
    s3_retry_attempts: '2',
    s3_max_single_read_retries: '2',
    max_execution_time: limits.maxSeconds,
  };
}

/** ClickHouse error types of a read or statement that ran out of time. */
const TIMEOUT_TYPE = /^(TIMEOUT_EXCEEDED|SOCKET_TIMEOUT|NETWORK_ERROR|RECEIVED_ERROR_TIMEOUT_EXCEEDED)$/;
/** Errors of the S3 client inside ClickHouse; a timeout among them is said in the message. */
const S3_CLIENT_TYPE = /^(S3_ERROR|POCO_EXCEPTION)$/;

/**
 * Load failures with their own code: a swapped object (OBJECT_CHANGED) and an object store that
 * stalled or a load past its deadline (LOAD_TIMEOUT, retryable). Null for anything else. Only
 * ClickHouse's own error types and texts are read, never a cell value it may quote.
 */
export function loadFailure(error: unknown): { code: string; message: string } | null {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const { type, message } = current as { type?: unknown; message?: unknown };
    if (typeof type !== 'string') continue;
    const text = typeof message === 'string' ? message : '';
    if (type === 'FUNCTION_THROW_IF_VALUE_IS_NON_ZERO' && text.includes(OBJECT_CHANGED_REASON))
      return { code: OBJECT_CHANGED, message: objectChangedMessage };
    if (TIMEOUT_TYPE.test(type) || (S3_CLIENT_TYPE.test(type) && /\bTimeout\b|timed out/i.test(text))) {
      return {
        code: 'LOAD_TIMEOUT',
        message:
          'Reading the file from the object store stalled or the load ran past its time limit; nothing was kept. Retry the upload once the store answers.',
      };
    }
  }
  return null;
}
