import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { queryPairs, safeDecode } from './query-string';
import { addCorsHeaders, answerPreflight, type CorsOrigins } from './s3-cors';
import { SigV4Verifier, type S3Credentials, type S3ErrorCode } from './sigv4-verifier';

export interface EmbeddedS3Server {
  readonly endpoint: string;
  readonly credentials: S3Credentials;
  close(): Promise<void>;
}

/** A request that passed verification, as a gate sees it. */
export interface VerifiedS3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly presigned: boolean;
  readonly userAgent: string;
}

export interface EmbeddedS3Options {
  readonly directory: string;
  readonly port: number;
  readonly bucket: string;
  readonly credentials: S3Credentials;
  /**
   * Runs before a verified request reaches the store and may hold it (tests stall reads with it to
   * exercise timeouts and a swapped object).
   */
  readonly gate?: (request: VerifiedS3Request) => Promise<void> | void;
  /**
   * Page origins that may send presigned requests from a browser (the gateway's own, known once it
   * listens); absent or empty: no CORS headers for anyone, preflights refused.
   */
  readonly corsOrigins?: CorsOrigins;
}

/** s3rver's Koa application without its own listener; only its request handler and store are used. */
interface S3rverApp {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  configureBuckets(): Promise<void>;
  store: { deleteObject(bucket: string, key: string): Promise<void> };
  logger: { close(): void; exceptions: { unhandle(): void } };
}

/** Where s3rver keeps the parts of unfinished multipart uploads, per bucket. */
const MULTIPART_STAGING = '._S3rver_uploads';

/** Query parameters of SigV4 that s3rver's own (unverifying) authentication must not see. */
const AUTH_PARAM = /^x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token)$/i;

/**
 * The embedded default's object store: s3rver's S3 implementation behind a front on 127.0.0.1 that
 * verifies AWS Signature V4 on every request (s3rver checks none) and answers 403 with an S3 XML
 * error otherwise. s3rver itself listens nowhere, so nothing reaches its files unverified. Data
 * lives under the gateway's data directory; ClickHouse (chDB) reads it with `s3()` and the keys.
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3Server> {
  fs.mkdirSync(options.directory, { recursive: true });
  // Parts of multipart uploads a previous process left unfinished: nothing can still be sending
  // them (this server was not running), so they go before it starts.
  fs.rmSync(path.join(options.directory, options.bucket, MULTIPART_STAGING), {
    recursive: true,
    force: true,
  });
  const app = new S3rver({
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket }],
  }) as unknown as S3rverApp;
  await app.configureBuckets();
  const handle = app.callback();
  const verifier = new SigV4Verifier(options.credentials);

  const corsOrigins = options.corsOrigins ?? (() => []);
  const server = http.createServer((req, res) => {
    if (answerPreflight(req, res, corsOrigins)) return;
    addCorsHeaders(req, res, corsOrigins);
    void (async () => {
      const verdict = await verifier.verify({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
      });
      if (!verdict.ok) return refuse(req, res, verdict);
      const [bucket = '', ...key] = (req.url ?? '/').replace(/\?.*$/s, '').slice(1).split('/');
      const request: VerifiedS3Request = {
        method: req.method ?? 'GET',
        bucket: safeDecode(bucket),
        key: safeDecode(key.join('/')),
        presigned: verdict.presigned,
        userAgent: req.headers['user-agent'] ?? '',
      };
      if (options.gate) await options.gate(request);
      const uploadId = queryValue(req.url, 'uploadid');
      if (
        req.method === 'DELETE' &&
        request.bucket === options.bucket &&
        request.key &&
        uploadId !== undefined
      )
        return abortMultipart(res, path.join(options.directory, request.bucket, MULTIPART_STAGING), uploadId);
      if (req.method === 'PUT' && request.key && queryValue(req.url, 'partnumber') === undefined) {
        removePartialObjectOnAbort(req, () => app.store.deleteObject(request.bucket, request.key));
      }
      req.url = withoutAuthParams(req.url ?? '/');
      delete req.headers.authorization;
      handle(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent)
        refuse(req, res, { code: 'InternalError', message: `Request failed: ${String(error)}`, status: 500 });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: options.credentials,
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      app.logger.exceptions.unhandle();
      app.logger.close();
    },
  };
}

function refuse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  error: { code: S3ErrorCode; message: string; status?: number },
): void {
  const { code, message, status = 403 } = error;
  const resource = escapeXml((req.url ?? '/').split('?')[0] ?? '/');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><Resource>${resource}</Resource></Error>`;
  // The body of a refused upload is not read: close the connection rather than drain it.
  res.writeHead(status, { 'content-type': 'application/xml', connection: 'close' });
  res.end(body);
  req.resume();
}

/**
 * s3rver writes a PUT into the object's file as it arrives; a client that dies mid-body would leave
 * a truncated object (or a truncated overwrite of an earlier one). S3 never shows a partial PUT, so
 * the object goes.
 */
function removePartialObjectOnAbort(req: http.IncomingMessage, remove: () => Promise<void>): void {
  req.once('close', () => {
    if (!req.complete) void remove().catch(() => undefined);
  });
}

function withoutAuthParams(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const kept = url
    .slice(at + 1)
    .split('&')
    .filter((part) => part !== '' && !AUTH_PARAM.test(safeDecode(part.split('=')[0] ?? '')));
  return kept.length > 0 ? `${url.slice(0, at)}?${kept.join('&')}` : url.slice(0, at);
}

/** A query parameter's value by case-insensitive name; undefined when absent. */
function queryValue(url: string | undefined, lowerName: string): string | undefined {
  return queryPairs(url ?? '').find(([name]) => name.toLowerCase() === lowerName)?.[1];
}

/**
 * AbortMultipartUpload, which s3rver does not implement (it answers MethodNotAllowed, so the AWS
 * SDK's clean-up after a failed upload left every part on disk): the upload's parts are removed.
 */
function abortMultipart(res: http.ServerResponse, staging: string, uploadId: string): void {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(uploadId)) {
    res.writeHead(400, { 'content-type': 'application/xml' });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>Malformed uploadId</Message></Error>',
    );
    return;
  }
  fs.rmSync(path.join(staging, uploadId), { recursive: true, force: true });
  res.writeHead(204);
  res.end();
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}
