import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ErrorCode, badInput } from '../errors/app-error';
import type { IngestService } from '../ingest/ingest-service';
import type { Upload } from '../datasets/upload';
import { timedBody, type BodyTimeouts } from './body-timeouts';
import { sendError, sendJson, type ErrorReport } from './http-util';

/** DUPLICATE is a success: the content is loaded (once), under `duplicateOf`. */
const STATUS_CODE: Record<Upload['status'], number> = {
  PENDING: 202,
  RECEIVED: 202,
  LOADING: 202,
  LOADED: 201,
  DUPLICATE: 200,
  REPLACED: 200,
  REJECTED: 422,
  FAILED: 502,
};

/** The upload as the HTTP route and the CLI show it. */
export function uploadJson(upload: Upload): Record<string, unknown> {
  return {
    id: upload.id,
    dataset: upload.dataset,
    kind: upload.kind,
    status: upload.status,
    mode: upload.mode,
    rowsLoaded: upload.rowsLoaded,
    rowsRejected: upload.rowsRejected,
    bytes: upload.bytes,
    sha256: upload.sha256,
    columns: upload.columns,
    ignoredColumns: upload.ignoredColumns,
    duplicateOf: upload.duplicateOf,
    replaces: upload.replaces,
    error: upload.errorCode ? { code: upload.errorCode, message: upload.errorMessage } : null,
    rowErrorCount: upload.rowErrorCount,
    rowErrors: upload.rowErrors,
    receiveMs: upload.receiveMs,
    loadMs: upload.loadMs,
  };
}

function optionalCount(url: URL, name: string): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw badInput(`${name} must be a whole number, 0 or more`, { [name]: text });
  return Number(text);
}

/**
 * `POST /uploads?dataset=NAME&kind=sales[&maxBadRows=N][&replaces=UPLOAD_ID]` with the CSV as the
 * body. The body is streamed to the object store as it arrives; the response comes when the load
 * has finished. A declared Content-Length past the limit is refused before any byte is read; a body
 * that stalls or takes too long is answered 408 and nothing of it is kept.
 */
export interface UploadRoute {
  readonly ingest: IngestService;
  readonly maxBytes: number;
  readonly errors: { readonly production: boolean; readonly report?: ErrorReport };
  readonly bodyTimeouts?: BodyTimeouts;
}

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  { ingest, maxBytes, errors, bodyTimeouts }: UploadRoute,
): Promise<void> {
  try {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      throw new AppError(
        ErrorCode.UPLOAD_TOO_LARGE,
        `Upload of ${declared} bytes exceeds the maximum size of ${maxBytes} bytes`,
        { details: { maxBytes, bytes: declared } },
      );
    }
    const upload = await ingest.ingest({
      dataset: url.searchParams.get('dataset') ?? '',
      kind: url.searchParams.get('kind') ?? undefined,
      maxBadRows: optionalCount(url, 'maxBadRows'),
      replaces: url.searchParams.get('replaces') ?? undefined,
      body: bodyTimeouts ? timedBody(req, bodyTimeouts) : req,
      bytes: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
    });
    sendJson(res, STATUS_CODE[upload.status], uploadJson(upload));
  } catch (error) {
    // The client may still be sending: answer now and stop reading, rather than buffering the rest.
    res.setHeader('connection', 'close');
    sendError(res, error, errors.production, errors.report);
    req.resume();
  }
}
