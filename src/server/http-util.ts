import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/logger';
import { AppError, ErrorCode, isAppError } from '../errors/app-error';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Where a server fault is written down: its details stay in the log, under the request's id. */
export interface ErrorReport {
  readonly logger: Logger;
  readonly requestId: string;
}

/** Error responses of the plain HTTP routes share the GraphQL error vocabulary. */
export function sendError(
  res: ServerResponse,
  error: unknown,
  production: boolean,
  report?: ErrorReport,
): void {
  const appError = isAppError(error)
    ? error
    : new AppError(ErrorCode.INTERNAL, 'Internal error', { cause: error });
  const visible = appError.isClientError || !production;
  if (!appError.isClientError)
    report?.logger.error('request failed', {
      code: appError.code,
      requestId: report.requestId,
      error: appError,
    });
  if (!res.headersSent) res.setHeader('cache-control', 'no-store');
  const retryAfter = appError.details.retryAfterSeconds;
  if (typeof retryAfter === 'number' && !res.headersSent) res.setHeader('retry-after', String(retryAfter));
  if (appError.code === ErrorCode.UNAUTHENTICATED && !res.headersSent)
    res.setHeader('www-authenticate', 'Bearer realm="kpi-gateway"');
  sendJson(res, appError.httpStatus, {
    error: {
      code: appError.code,
      message: visible ? appError.message : 'The service could not answer; try again later.',
      ...(visible ? { details: appError.details } : {}),
      ...(report ? { requestId: report.requestId } : {}),
    },
  });
}

/**
 * Reads a small body (GraphQL requests) with a hard size limit, so huge variables cannot exhaust
 * memory, and a time limit, so a client that stalls mid-body cannot hold the socket and its buffer.
 */
export function readSmallBody(
  req: IncomingMessage,
  limits: { readonly maxBytes: number; readonly timeoutMs: number },
): Promise<string> {
  // Events rather than `for await`: this runs on every GraphQL request, and the async iterator costs more than the read.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: AppError) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.resume();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        stop(
          new AppError(
            ErrorCode.REQUEST_TIMEOUT,
            `The request body did not arrive within ${limits.timeoutMs} ms`,
            {
              details: { timeoutMs: limits.timeoutMs },
            },
          ),
        ),
      limits.timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        stop(new AppError(ErrorCode.UPLOAD_TOO_LARGE, `Request body exceeds ${limits.maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      clearTimeout(timer);
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      );
    });
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** A file from disk with the given headers (HEAD answered without a body); a read error ends the response. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string>,
): void {
  const { size } = fs.statSync(file);
  res.writeHead(200, { ...headers, 'content-length': size });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(file)
    .on('error', (error) => res.destroy(error))
    .pipe(res);
}
