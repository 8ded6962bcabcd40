import fs from 'node:fs';
import S3rver from 's3rver';

export interface EmbeddedS3Server {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * The embedded default's object store: a local S3-compatible server on 127.0.0.1 whose data
 * lives under the gateway's data directory. ClickHouse (chDB) reads from it with `s3()`.
 */
export async function startEmbeddedS3(options: {
  directory: string;
  port: number;
  bucket: string;
}): Promise<EmbeddedS3Server> {
  fs.mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket }],
  });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
