import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { clientApiKey } from '../config/client-env';
import { UploadProgress } from './upload-progress';

export const INGEST_USAGE = `Usage: kpi-gateway ingest FILE --dataset NAME [--kind sales] [--url http://127.0.0.1:4000]
                          [--max-bad-rows N] [--replaces UPLOAD_ID] [--api-key KEY] [--json]

Streams FILE to the gateway's POST /uploads (any size; never read into memory), shows progress
(bytes, rows/s, ETA), then prints the final status and the first row errors.
A gateway that requires credentials takes an API key with the uploader role: --api-key, or
better the environment variable KPI_GATEWAY_API_KEY (flags show in process lists).
Exit status: 0 LOADED or DUPLICATE, 2 REJECTED, 1 anything else (FAILED, unreachable, bad usage).`;

interface UploadResponse {
  id?: string;
  status?: string;
  rowsLoaded?: number;
  rowsRejected?: number;
  duplicateOf?: string | null;
  ignoredColumns?: string[];
  error?: { code: string; message: string } | null;
  rowErrorCount?: number;
  rowErrors?: Array<{ line: number; column: string | null; reason: string; value: string | null }>;
}

function exitCodeFor(status: number, body: UploadResponse): number {
  if (body.status === 'LOADED' || body.status === 'DUPLICATE') return 0;
  if (body.status === 'REJECTED' || status === 413 || status === 422) return 2;
  return 1;
}

function describe(status: number, body: UploadResponse): string {
  const lines: string[] = [];
  if (!body.status) {
    lines.push(
      `Upload refused (HTTP ${status}): ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim(),
    );
    return lines.join('\n');
  }
  lines.push(`Upload ${body.id}: ${body.status}`);
  if (body.status === 'DUPLICATE')
    lines.push(`  The same file is already loaded as upload ${body.duplicateOf}; nothing was loaded twice.`);
  if (body.status === 'LOADED')
    lines.push(
      `  ${body.rowsLoaded} rows loaded${body.rowsRejected ? `, ${body.rowsRejected} bad rows skipped` : ''}.`,
    );
  if (body.ignoredColumns?.length) lines.push(`  Ignored columns: ${body.ignoredColumns.join(', ')}`);
  if (body.error) lines.push(`  ${body.error.code}: ${body.error.message}`);
  for (const e of body.rowErrors ?? []) {
    lines.push(
      `  line ${e.line}${e.column !== null ? `, column ${e.column}` : ''}: ${e.value !== null ? `${JSON.stringify(e.value)} ` : ''}${e.reason}`,
    );
  }
  const more = (body.rowErrorCount ?? 0) - (body.rowErrors?.length ?? 0);
  if (more > 0)
    lines.push(`  … and ${more} more (query upload(id: "${body.id}") { rowErrors(first: 1000) } for all).`);
  return lines.join('\n');
}

/** `kpi-gateway ingest …`; returns the process exit status. */
export async function runIngest(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        kind: { type: 'string' },
        url: { type: 'string', default: 'http://127.0.0.1:4000' },
        'max-bad-rows': { type: 'string' },
        replaces: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${INGEST_USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1 || !values.dataset) {
    process.stderr.write(`${INGEST_USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const file = positionals[0] ?? '';
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    process.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const target = new URL('/uploads', values.url);
  target.searchParams.set('dataset', values.dataset);
  if (values.kind) target.searchParams.set('kind', values.kind);
  if (values['max-bad-rows']) target.searchParams.set('maxBadRows', values['max-bad-rows']);
  if (values.replaces) target.searchParams.set('replaces', values.replaces);

  const progress = new UploadProgress(size);
  try {
    const apiKey = values['api-key'] ?? clientApiKey();
    const { status, body } = await send({ target, apiKey }, file, size, progress);
    progress.stop();
    process.stdout.write(`${values.json ? JSON.stringify(body, null, 2) : describe(status, body)}\n`);
    return exitCodeFor(status, body);
  } catch (error) {
    progress.stop();
    process.stderr.write(`Upload failed: ${(error as Error).message}\n`);
    return 1;
  }
}

/**
 * Streams the file as the request body with its Content-Length and `Expect: 100-continue`: the
 * gateway refuses an oversized file (413) before any byte is sent, and the answer is never lost
 * to a connection closed under a body still being written. A server that does not answer the
 * expectation within a second gets the body anyway, as curl does.
 */
function send(
  { target, apiKey }: { target: URL; apiKey: string | undefined },
  file: string,
  size: number,
  progress: UploadProgress,
): Promise<{ status: number; body: UploadResponse }> {
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          'content-length': size,
          expect: '100-continue',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
      },
      (response) => {
        clearTimeout(fallback);
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as UploadResponse });
          } catch {
            reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 500)}`));
          }
        });
        response.on('error', reject);
      },
    );
    let sending = false;
    const sendBody = () => {
      clearTimeout(fallback);
      if (sending) return;
      sending = true;
      pipeline(fs.createReadStream(file), progress, request).then(
        () => progress.loading(),
        // The gateway may answer (422) and close before the whole body is sent: its answer wins.
        () => undefined,
      );
    };
    const fallback = setTimeout(sendBody, 1000);
    request.on('continue', sendBody);
    request.on('error', (error) => {
      clearTimeout(fallback);
      reject(error);
    });
    request.flushHeaders();
  });
}
