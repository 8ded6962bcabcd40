import type { WebSocket } from 'ws';

/** RFC 6455 "Try Again Later": graphql-ws clients retry it with their backoff, as they should. */
export const TRY_AGAIN_LATER = 1013;

export interface WebSocketLimits {
  readonly total: number;
  readonly perCaller: number;
}

/**
 * Bounds on open WebSocket connections, over all callers and per caller. Each subscription holds a
 * socket, a listener and a little memory for as long as the client stays: without a bound, one
 * script opening sockets in a loop would hold the gateway's file descriptors. Past a bound the
 * socket is accepted and closed at once with a close code and a reason a client can show (a
 * refused upgrade would reach a browser as a bare 1006).
 */
export class WebSocketCaps {
  private open = 0;
  private readonly perCaller = new Map<string, number>();

  constructor(private readonly limits: WebSocketLimits) {}

  /** At the upgrade: counts the socket until it closes, or closes it when the gateway is full. */
  admit(socket: WebSocket): boolean {
    if (this.open >= this.limits.total) {
      socket.close(
        TRY_AGAIN_LATER,
        `The gateway holds its limit of ${this.limits.total} WebSocket connections; try again later`,
      );
      return false;
    }
    this.open += 1;
    socket.once('close', () => (this.open -= 1));
    return true;
  }

  /** Once the caller is known: counts the socket for it, or closes it when the caller is at its bound. */
  admitCaller(socket: WebSocket, caller: string): boolean {
    const held = this.perCaller.get(caller) ?? 0;
    if (held >= this.limits.perCaller) {
      socket.close(
        TRY_AGAIN_LATER,
        `This caller holds its limit of ${this.limits.perCaller} WebSocket connections; close one first`,
      );
      return false;
    }
    this.perCaller.set(caller, held + 1);
    socket.once('close', () => {
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
    });
    return true;
  }

  /** Open sockets, for tests and metrics. */
  get connections(): number {
    return this.open;
  }
}
