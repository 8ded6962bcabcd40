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

/** Reads a small body (GraphQL requests) with a hard limit, so huge variables cannot exhaust memory. */
export function readSmallBody(req: IncomingMessage, limit: number): Promise<string> {
  // Events rather than `for await`: this runs on every GraphQL request, and the async iterator costs more than the read.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new AppError(ErrorCode.UPLOAD_TOO_LARGE, `Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.once('error', reject);
  });
}
