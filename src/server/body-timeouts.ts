import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { AppError, ErrorCode } from '../errors/app-error';

export interface BodyTimeouts {
  /** No byte of the body for this long fails it. */
  readonly idleMs: number;
  /** The whole body must have arrived within this long. */
  readonly totalMs: number;
}

/**
 * The request body as a stream that fails with REQUEST_TIMEOUT (408) when the client stalls or
 * takes too long, and with a plain error when the client goes away mid-body. The socket is left
 * open on a timeout so the 408 can still be sent; everything reading the body (the object store's
 * write, the hash) sees the failure and cleans up.
 */
export function timedBody(req: IncomingMessage, limits: BodyTimeouts): PassThrough {
  const body = new PassThrough();
  const fail = (error: Error) => {
    clearTimeout(idle);
    clearTimeout(total);
    req.unpipe(body);
    req.pause();
    body.destroy(error);
  };
  const timeout = (what: string, ms: number) =>
    new AppError(ErrorCode.REQUEST_TIMEOUT, `The upload body ${what} (${ms} ms); nothing was kept`, {
      details: { timeoutMs: ms },
    });
  const onIdle = () => fail(timeout('sent nothing for too long', limits.idleMs));
  let idle = setTimeout(onIdle, limits.idleMs);
  const total = setTimeout(() => fail(timeout('took too long', limits.totalMs)), limits.totalMs);
  req.on('data', () => {
    clearTimeout(idle);
    idle = setTimeout(onIdle, limits.idleMs);
  });
  req.once('end', () => {
    clearTimeout(idle);
    clearTimeout(total);
  });
  req.once('close', () => {
    if (!req.complete) fail(new Error('The client closed the connection before the body was complete'));
  });
  req.once('error', fail);
  req.pipe(body);
  return body;
}
