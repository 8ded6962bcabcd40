import { AppError, ErrorCode } from '../errors/app-error';

/**
 * Turns on the warehouse's sessions. Each session runs at most `perSession` statements at once
 * (one for chDB, whose sessions run one statement at a time anyway: the wait moves here, where it
 * can be counted and bounded); statements beyond that wait in one FIFO queue of at most
 * `queueMax`, and past it are refused with OVERLOADED at once instead of piling up memory and
 * latency. A freed turn goes to the first waiter, on the least busy session.
 */
export class SessionQueue {
  private readonly busy: number[];
  private readonly waiters: Array<(index: number) => void> = [];

  constructor(
    sessions: number,
    private readonly perSession: number,
    private readonly queueMax: number,
  ) {
    this.busy = Array.from({ length: sessions }, () => 0);
  }

  /** A session index to run on; call `release(index)` when the statement is done. */
  acquire(): Promise<number> {
    const index = this.leastBusy();
    if ((this.busy[index] ?? 0) < this.perSession) {
      this.busy[index] = (this.busy[index] ?? 0) + 1;
      return Promise.resolve(index);
    }
    if (this.waiters.length >= this.queueMax)
      return Promise.reject(
        new AppError(
          ErrorCode.OVERLOADED,
          `ClickHouse is busy: ${this.waiters.length} statements are already waiting for a session; retry after 1 s`,
          { details: { limit: this.queueMax, retryAfterSeconds: 1 } },
        ),
      );
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(index: number): void {
    const next = this.waiters.shift();
    // The turn passes straight to the next waiter: the session stays counted as busy.
    if (next) next(index);
    else this.busy[index] = Math.max(0, (this.busy[index] ?? 0) - 1);
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.busy.length; i += 1) if ((this.busy[i] ?? 0) < (this.busy[best] ?? 0)) best = i;
    return best;
  }
}
