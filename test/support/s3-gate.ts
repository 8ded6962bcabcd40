import type { VerifiedS3Request } from '../../src/storage/embedded-s3-server';

/**
 * Holds the object store's requests that match while closed: ClickHouse's reads of an upload can
 * be stopped mid-load to swap the object underneath or to stall the load.
 */
export class S3Gate {
  private held: Array<() => void> = [];
  private waiting: Array<() => void> = [];
  private predicate: ((request: VerifiedS3Request) => boolean) | null = null;
  readonly seen: VerifiedS3Request[] = [];

  /** Hold every matching request until `open()`. */
  close(predicate: (request: VerifiedS3Request) => boolean): void {
    this.predicate = predicate;
  }

  open(): void {
    this.predicate = null;
    for (const release of this.held.splice(0)) release();
  }

  /** Resolves once a request is being held. */
  async holding(): Promise<void> {
    if (this.held.length > 0) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  readonly gate = (request: VerifiedS3Request): Promise<void> | void => {
    this.seen.push(request);
    if (!this.predicate?.(request)) return;
    return new Promise<void>((resolve) => {
      this.held.push(resolve);
      for (const notify of this.waiting.splice(0)) notify();
    });
  };
}

/** ClickHouse's own S3 client (chDB's `s3()` reads), as opposed to the gateway's AWS SDK. */
export const fromClickHouse = (request: VerifiedS3Request) => request.userAgent.startsWith('ClickHouse');
