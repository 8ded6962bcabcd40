import fs from 'node:fs';
import http from 'node:http';

/**
 * A keep-alive HTTP client on node:http. Lighter than fetch, so the client's own cost inflates
 * latency measurements as little as possible. Benchmarks only ever talk to 127.0.0.1.
 */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function assertLocal(url: URL): void {
  if (url.hostname !== '127.0.0.1') throw new Error(`Benchmarks only load 127.0.0.1, not ${url.hostname}`);
}

export function request(
  target: string,
  method: string,
  headers: Record<string, string>,
  body: string | fs.ReadStream,
): Promise<{ status: number; text: string }> {
  const url = new URL(target);
  assertLocal(url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof body === 'string') req.end(body);
    else body.pipe(req);
  });
}

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: Array<{ message: string }>;
}

/** A GraphQL POST; an error in the response is a failed benchmark, never a fast answer. */
export async function graphql<T = any>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const { status, text } = await request(
    graphqlUrl,
    'POST',
    { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  );
  const result = JSON.parse(text) as GraphQLResult<T>;
  if (status !== 200 || result.errors || !result.data)
    throw new Error(`GraphQL failed (${status}): ${text.slice(0, 500)}`);
  return result.data;
}

export interface UploadResponse {
  status: string;
  rowsLoaded: number;
  bytes: number;
  /** Server-side phases: body streamed to S3, then ClickHouse load (incl. ledger writes). */
  receiveMs: number;
  loadMs: number;
  error: { code: string; message: string } | null;
}

/** Streams a file to `POST /uploads` (never read into memory here either). */
export async function uploadFile(baseUrl: string, dataset: string, file: string): Promise<UploadResponse> {
  const size = fs.statSync(file).size;
  const { status, text } = await request(
    `${baseUrl}/uploads?dataset=${encodeURIComponent(dataset)}&kind=sales`,
    'POST',
    { 'content-type': 'text/csv', 'content-length': String(size) },
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 }),
  );
  const body = JSON.parse(text) as UploadResponse;
  if (status !== 201 || body.status !== 'LOADED')
    throw new Error(`Upload of ${file} failed (${status}): ${text.slice(0, 500)}`);
  return body;
}
