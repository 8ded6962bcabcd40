/**
 * The one error hierarchy of the gateway. Every error a user can see carries a stable `code`
 * (part of the API contract) and an HTTP status; the underlying failure rides along as `cause`.
 * `details` is safe to show to clients; anything else stays in logs.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFIG_INVALID: 'CONFIG_INVALID',
  DATASET_NOT_FOUND: 'DATASET_NOT_FOUND',
  DATASET_KIND_MISMATCH: 'DATASET_KIND_MISMATCH',
  UPLOAD_TOO_LARGE: 'UPLOAD_TOO_LARGE',
  UPLOAD_REJECTED: 'UPLOAD_REJECTED',
  /** The upload is not in a status that allows the operation (start twice, retry a LOADED one, …). */
  UPLOAD_STATE: 'UPLOAD_STATE',
  NOT_FOUND: 'NOT_FOUND',
  /** No credentials, or credentials that are wrong, expired or revoked. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller is known but its roles do not allow the operation (or the request is refused: Host, CSRF). */
  FORBIDDEN: 'FORBIDDEN',
  WAREHOUSE_ERROR: 'WAREHOUSE_ERROR',
  STORAGE_ERROR: 'STORAGE_ERROR',
  /** A request body stalled or took longer than the configured limit. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  INTERNAL: 'INTERNAL',
  /** The operation costs more than one operation may, or than the caller's budget has left (details name the figure). */
  COST_LIMIT: 'COST_LIMIT',
  /** Too many requests from this caller; retry after `retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The gateway's queues are full; retry after `retryAfterSeconds`. */
  OVERLOADED: 'OVERLOADED',
  /** ClickHouse ran past the query time limit and the query was cancelled. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  /** ClickHouse refused the query for memory (per query or for the whole process). */
  MEMORY_LIMIT: 'MEMORY_LIMIT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  CONFIG_INVALID: 500,
  DATASET_NOT_FOUND: 404,
  DATASET_KIND_MISMATCH: 409,
  UPLOAD_TOO_LARGE: 413,
  UPLOAD_REJECTED: 422,
  UPLOAD_STATE: 409,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  WAREHOUSE_ERROR: 503,
  STORAGE_ERROR: 503,
  REQUEST_TIMEOUT: 408,
  INTERNAL: 500,
  COST_LIMIT: 400,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  QUERY_TIMEOUT: 504,
  MEMORY_LIMIT: 503,
};

export interface AppErrorOptions {
  cause?: unknown;
  /** Facts a client may see, e.g. the offending argument. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  /** Errors the client caused: never masked, never logged as server faults. */
  get isClientError(): boolean {
    return this.httpStatus < 500;
  }
}

export function badInput(message: string, details?: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, { details });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
