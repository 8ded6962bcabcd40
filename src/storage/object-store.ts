import type { Readable } from 'node:stream';

/** What the store says about an object it just wrote: its ETag identifies this version. */
export interface StoredObject {
  readonly etag: string;
}

/** An object as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
}

/** Where uploaded files live. ClickHouse reads them itself through `s3()`, so it needs a URL and keys. */
export interface ObjectStore {
  readonly bucket: string;
  /**
   * Streams a body into an object (bounded memory). `bytes`, when the body's length is known in
   * advance (an HTTP Content-Length), lets the store write it in one request instead of parts.
   */
  putStream(key: string, body: Readable, contentType: string, bytes?: number): Promise<StoredObject>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Size in bytes, or null when there is no such object. */
  size(key: string): Promise<number | null>;
  /** Streams an object back (bounded memory). */
  getStream(key: string): Promise<Readable>;
  /** Streams an object back with the ETag of exactly the version being read. */
  read(key: string): Promise<{ body: Readable; etag: string }>;
  /** A URL that lets its holder PUT exactly this object until it expires, without credentials. */
  presignPut(key: string, expiresInSeconds: number): Promise<string>;
  /** The object as ClickHouse's `s3()` table function should address it, with credentials. */
  clickhouseSource(key: string): { url: string; accessKeyId: string; secretAccessKey: string };
}
