import type { Readable } from 'node:stream';

/** Where uploaded files live. ClickHouse reads them itself through `s3()`, so it needs a URL and keys. */
export interface ObjectStore {
  readonly bucket: string;
  /**
   * Streams a body into an object (bounded memory). `bytes`, when the body's length is known in
   * advance (an HTTP Content-Length), lets the store write it in one request instead of parts.
   */
  putStream(key: string, body: Readable, contentType: string, bytes?: number): Promise<void>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Size in bytes, or null when there is no such object. */
  size(key: string): Promise<number | null>;
  /** Streams an object back (bounded memory). */
  getStream(key: string): Promise<Readable>;
  /** A URL that lets its holder PUT exactly this object until it expires, without credentials. */
  presignPut(key: string, expiresInSeconds: number): Promise<string>;
  /** The object as ClickHouse's `s3()` table function should address it, with credentials. */
  clickhouseSource(key: string): { url: string; accessKeyId: string; secretAccessKey: string };
}
