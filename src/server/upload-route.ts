import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatasetCatalog } from '../datasets/dataset-catalog';
import type { IngestService } from '../ingest/ingest-service';
import type { Upload } from '../ingest/upload';
import { sendError, sendJson } from './http-util';

const STATUS_CODE: Record<Upload['status'], number> = { RECEIVED: 202, LOADING: 202, LOADED: 201, REJECTED: 422, FAILED: 502 };

/** The upload as the HTTP route and the CLI show it. */
export function uploadJson(upload: Upload): Record<string, unknown> {
  return {
    id: upload.id,
    dataset: upload.dataset,
    kind: upload.kind,
    status: upload.status,
    rowsLoaded: upload.rowsLoaded,
    rowsRejected: upload.rowsRejected,
    bytes: upload.bytes,
    sha256: upload.sha256,
    columns: upload.columns,
    ignoredColumns: upload.ignoredColumns,
    error: upload.errorCode ? { code: upload.errorCode, message: upload.errorMessage } : null,
    receiveMs: upload.receiveMs,
    loadMs: upload.loadMs,
  };
}

/**
 * `POST /uploads?dataset=NAME&kind=sales` with the CSV as the body. The body is streamed to the
 * object store as it arrives; the response comes when the load has finished.
 */
export async function handleUpload(ingest: IngestService, catalog: DatasetCatalog, req: IncomingMessage, res: ServerResponse, url: URL, production: boolean): Promise<void> {
  try {
    const dataset = url.searchParams.get('dataset') ?? '';
    const kind = url.searchParams.get('kind') ?? undefined;
    await catalog.refresh();
    ingest.resolveKind(dataset, kind);
    const upload = await ingest.ingest({ dataset, kind, body: req });
    sendJson(res, STATUS_CODE[upload.status], uploadJson(upload));
  } catch (error) {
    // The client may still be sending: answer now and stop reading, rather than buffering the rest.
    res.setHeader('connection', 'close');
    sendError(res, error, production);
    req.resume();
  }
}
