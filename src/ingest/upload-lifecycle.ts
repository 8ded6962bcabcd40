import { AppError, ErrorCode } from '../errors/app-error';
import type { RowError, Upload, UploadStatus } from '../datasets/upload';

/** What receiving the file taught (the same whichever way it came in). */
export interface ReceiptFacts {
  readonly bytes: number;
  readonly sha256: string;
  readonly header: readonly string[];
}

/** Row errors found for a rejected or partly loaded upload. */
export interface RowErrorCounts {
  /** Problems found (a record can have several). */
  readonly errors: number;
  /** Distinct records with at least one problem. */
  readonly records: number;
}

/** Everything that can happen to an upload. Each event is allowed from the statuses its row says. */
export type UploadEvent =
  | { readonly type: 'receive'; readonly facts: ReceiptFacts; readonly at: Date }
  | { readonly type: 'map'; readonly columns: readonly string[]; readonly ignoredColumns: readonly string[] }
  | { readonly type: 'start' }
  | {
      readonly type: 'load';
      readonly rows: number;
      readonly completeColumns: readonly string[];
      readonly rejected: RowErrorCounts & { readonly sample: readonly RowError[] };
      readonly loadMs: number;
    }
  | {
      readonly type: 'reject';
      readonly code: string;
      readonly message: string;
      readonly sample: readonly RowError[];
      /** Counted by the validation pass; otherwise the sample is all there is. */
      readonly counts?: RowErrorCounts;
      /** Set when the file was measured but never received (too large for a slot). */
      readonly bytes?: number;
      readonly loadMs?: number;
    }
  | { readonly type: 'fail'; readonly code: string; readonly message: string; readonly loadMs?: number }
  | { readonly type: 'duplicate'; readonly of: string }
  | { readonly type: 'replace'; readonly by: string }
  | { readonly type: 'count'; readonly completeColumns: readonly string[] }
  /** `uncounted`: the gateway itself stopped the load (a shutdown), so the attempt does not count. */
  | { readonly type: 'interrupt'; readonly uncounted?: boolean };

export type UploadEventType = UploadEvent['type'];
type EventOf<T extends UploadEventType> = Extract<UploadEvent, { type: T }>;

interface Transition<T extends UploadEventType> {
  readonly from: readonly UploadStatus[];
  readonly next: (upload: Upload, event: EventOf<T>) => Upload;
}

const finished = () => ({ finishedAt: new Date() });

/**
 * The upload lifecycle, one row per event: the statuses it may happen in, and the record it
 * leaves. Every change of an upload goes through `transition`, so this table is the whole state
 * machine (docs/architecture.md draws it):
 *
 *   PENDING ─receive→ RECEIVED ─map→ RECEIVED ─start→ LOADING ─load→ LOADED ─replace→ REPLACED
 *   RECEIVED ─duplicate→ DUPLICATE;  PENDING | RECEIVED | LOADING ─reject→ REJECTED
 *   RECEIVED | LOADING ─fail→ FAILED ─receive→ RECEIVED (a retry);  RECEIVED | LOADING ─interrupt→ RECEIVED
 */
export const TRANSITIONS: { readonly [T in UploadEventType]: Transition<T> } = {
  receive: {
    // PENDING: a slot's file arrived. FAILED: a retry. RECEIVED: recovery loads it again.
    from: ['PENDING', 'FAILED', 'RECEIVED'],
    next: (upload, { facts, at }) => ({
      ...upload,
      status: 'RECEIVED',
      bytes: facts.bytes,
      sha256: facts.sha256,
      header: [...facts.header],
      receivedAt: upload.receivedAt ?? at,
      receiveMs: upload.receivedAt ? upload.receiveMs : at.getTime() - upload.createdAt.getTime(),
    }),
  },
  map: {
    from: ['RECEIVED'],
    next: (upload, { columns, ignoredColumns }) => ({
      ...upload,
      columns: [...columns],
      ignoredColumns: [...ignoredColumns],
    }),
  },
  start: {
    from: ['RECEIVED'],
    // A retry adds one attempt; whatever an earlier attempt found is forgotten.
    next: (upload) => ({
      ...upload,
      status: 'LOADING',
      attempts: upload.attempts + 1,
      completeColumns: null,
      rowsLoaded: 0,
      rowsRejected: 0,
      rowErrorCount: 0,
      rowErrors: [],
      errorCode: null,
      errorMessage: null,
      finishedAt: null,
    }),
  },
  load: {
    from: ['LOADING'],
    next: (upload, { rows, completeColumns, rejected, loadMs }) => ({
      ...upload,
      ...finished(),
      status: 'LOADED',
      loadMs,
      rowsLoaded: rows,
      completeColumns: [...completeColumns],
      rowsRejected: rejected.records,
      rowErrorCount: rejected.errors,
      rowErrors: [...rejected.sample],
    }),
  },
  reject: {
    from: ['PENDING', 'RECEIVED', 'LOADING'],
    next: (upload, event) => ({
      ...upload,
      ...finished(),
      status: 'REJECTED',
      bytes: event.bytes ?? upload.bytes,
      loadMs: event.loadMs ?? upload.loadMs,
      errorCode: event.code,
      errorMessage: event.message,
      rowsLoaded: 0,
      rowsRejected: event.counts?.records ?? upload.rowsRejected,
      rowErrorCount: event.counts?.errors ?? event.sample.length,
      rowErrors: [...event.sample],
    }),
  },
  fail: {
    // RECEIVED: the load could not start, or recovery gives up on it.
    from: ['RECEIVED', 'LOADING'],
    next: (upload, event) => ({
      ...upload,
      ...finished(),
      status: 'FAILED',
      loadMs: event.loadMs ?? upload.loadMs,
      errorCode: event.code,
      errorMessage: event.message,
      rowsLoaded: 0,
    }),
  },
  duplicate: {
    from: ['RECEIVED'],
    next: (upload, { of }) => ({
      ...upload,
      ...finished(),
      status: 'DUPLICATE',
      duplicateOf: of,
      rowsLoaded: 0,
    }),
  },
  replace: {
    from: ['LOADED'],
    next: (upload, { by }) => ({ ...upload, status: 'REPLACED', replacedBy: by }),
  },
  count: {
    from: ['LOADED'],
    next: (upload, { completeColumns }) => ({ ...upload, completeColumns: [...completeColumns] }),
  },
  interrupt: {
    // The process died while the upload was on its way: it will be loaded again from its object.
    from: ['RECEIVED', 'LOADING'],
    next: (upload, { uncounted }) => ({
      ...upload,
      status: 'RECEIVED',
      attempts: uncounted ? Math.max(0, upload.attempts - 1) : upload.attempts,
    }),
  },
};

/** An event that the upload's status does not allow: a bug in the caller, or a race it lost. */
export class IllegalTransitionError extends AppError {
  constructor(
    readonly upload: Upload,
    readonly event: UploadEventType,
  ) {
    super(
      ErrorCode.UPLOAD_STATE,
      `Upload ${upload.id} is ${upload.status}: "${event}" is not allowed (allowed from ${TRANSITIONS[event].from.join(', ')})`,
      { details: { id: upload.id, status: upload.status, event } },
    );
    this.name = 'IllegalTransitionError';
  }
}

/** The record an event leaves, or IllegalTransitionError. */
export function transition(upload: Upload, event: UploadEvent): Upload {
  const row = TRANSITIONS[event.type] as Transition<UploadEventType>;
  if (!row.from.includes(upload.status)) throw new IllegalTransitionError(upload, event.type);
  return row.next(upload, event as never);
}
