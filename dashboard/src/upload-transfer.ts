import type { Client } from 'urql';
import {
  DashboardCreateUploadDocument,
  DashboardStartUploadDocument,
  type DashboardUploadFragment,
  type DatasetKind,
} from '../../operations/generated/graphql';
import { apiKey } from './client';

export interface UploadRequest {
  readonly file: File;
  readonly dataset: string;
  readonly kind: DatasetKind;
  readonly maxBadRows: number;
}

/** What the page shows while a file travels and loads. */
export type TransferPhase =
  | { phase: 'sending'; via: 'presigned' | 'gateway'; fraction: number; uploadId?: string }
  | { phase: 'loading'; via: 'presigned' | 'gateway'; uploadId: string }
  | { phase: 'done'; via: 'presigned' | 'gateway'; upload: DashboardUploadFragment }
  | { phase: 'failed'; message: string };

/** An XHR answer: status 0 when the browser refused it (CORS) or the host was unreachable. */
function send(
  method: string,
  url: string,
  body: File,
  options: { headers: Record<string, string>; onProgress: (fraction: number) => void },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, text: '' });
    xhr.send(body);
  });
}

/** S3's XML error (`<Message>`), for a PUT the store answered but refused. */
function storeMessage(text: string, status: number): string {
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  return `The object store refused the file (HTTP ${status})${message ? `: ${message}` : ''}`;
}

/**
 * The presigned flow: createUpload, the file PUT straight to object storage with XHR's upload
 * progress, then startUpload, which answers once the load is over. A PUT the browser refuses
 * (the store sends no CORS headers for this page, or is unreachable from it) falls back to
 * `POST /uploads` on this origin; the slot it was given stays PENDING in the ledger.
 */
export async function transfer(
  client: Client,
  request: UploadRequest,
  report: (phase: TransferPhase) => void,
): Promise<void> {
  const slot = await client
    .mutation(DashboardCreateUploadDocument, {
      dataset: request.dataset,
      kind: request.kind,
      maxBadRows: request.maxBadRows,
    })
    .toPromise();
  if (slot.error || !slot.data) return report({ phase: 'failed', message: apiMessage(slot.error) });
  const { url, upload } = slot.data.createUpload;
  report({ phase: 'sending', via: 'presigned', fraction: 0, uploadId: upload.id });
  const put = await send('PUT', url, request.file, {
    headers: { 'content-type': request.file.type || 'text/csv' },
    onProgress: (fraction) => report({ phase: 'sending', via: 'presigned', fraction, uploadId: upload.id }),
  });
  if (put.status === 0) return viaGateway(request, report);
  if (put.status < 200 || put.status >= 300)
    return report({ phase: 'failed', message: storeMessage(put.text, put.status) });
  report({ phase: 'loading', via: 'presigned', uploadId: upload.id });
  const started = await client.mutation(DashboardStartUploadDocument, { id: upload.id }).toPromise();
  if (started.error || !started.data) return report({ phase: 'failed', message: apiMessage(started.error) });
  report({ phase: 'done', via: 'presigned', upload: started.data.startUpload });
}

/** `POST /uploads` on this origin, streamed with progress; its JSON answer is the upload. */
async function viaGateway(request: UploadRequest, report: (phase: TransferPhase) => void): Promise<void> {
  report({ phase: 'sending', via: 'gateway', fraction: 0 });
  const key = apiKey();
  const query = new URLSearchParams({
    dataset: request.dataset,
    kind: request.kind.toLowerCase(),
    maxBadRows: String(request.maxBadRows),
  });
  const answer = await send('POST', `/uploads?${query.toString()}`, request.file, {
    headers: { 'content-type': 'text/csv', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    onProgress: (fraction) => report({ phase: 'sending', via: 'gateway', fraction }),
  });
  if (answer.status === 0)
    return report({ phase: 'failed', message: 'The upload did not reach the gateway' });
  let body: Partial<DashboardUploadFragment> & { errors?: Array<{ message: string }>; message?: string };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return report({ phase: 'failed', message: `HTTP ${answer.status}` });
  }
  if (!body.id || !body.status)
    return report({
      phase: 'failed',
      message: body.errors?.[0]?.message ?? body.message ?? `HTTP ${answer.status}`,
    });
  report({ phase: 'done', via: 'gateway', upload: body as DashboardUploadFragment });
}

/** The API's own message (the first GraphQL error), else the transport's. */
export function apiMessage(
  error: { graphQLErrors: Array<{ message: string }>; message: string } | undefined,
): string {
  return error?.graphQLErrors[0]?.message ?? error?.message ?? 'No answer';
}
