import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { openWarehouse, testS3Credentials } from '../support/test-stack';

const BUCKET = 'signed';
const credentials = testS3Credentials();
let dir: string;
let s3: EmbeddedS3Server;
let store: S3ObjectStore;
let warehouse: Warehouse;

const clientWith = (accessKeyId: string, secretAccessKey: string) =>
  new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

const CSV = 'a,b\n1,x\n2,y\n3,z\n';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-s3sig-'));
  s3 = await startEmbeddedS3({ directory: dir, port: 0, bucket: BUCKET, credentials });
  store = new S3ObjectStore({
    endpoint: s3.endpoint,
    endpointForClickHouse: s3.endpoint,
    region: 'us-east-1',
    bucket: BUCKET,
    ...credentials,
    forcePathStyle: true,
  });
  await store.putStream('uploads/d/one.csv', Readable.from([Buffer.from(CSV)]), 'text/csv');
  warehouse = await openWarehouse(1);
});

afterAll(async () => {
  store.close();
  await warehouse.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(warehouse.database)}`);
  await warehouse.close();
  await s3.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function expectRefused(response: Response, code: string): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get('content-type')).toBe('application/xml');
  expect(await response.text()).toContain(`<Code>${code}</Code>`);
}

describe('the embedded object store verifies AWS Signature V4', () => {
  test('the gateway’s own signed requests work: put (one request and multipart), head, get, delete', async () => {
    expect(await store.size('uploads/d/one.csv')).toBe(CSV.length);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('uploads/d/one.csv')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(CSV);
    const big = Buffer.alloc(9 * 1024 * 1024, 'x');
    await store.putStream('uploads/d/big.csv', Readable.from([big]), 'text/csv');
    expect(await store.size('uploads/d/big.csv')).toBe(big.length);
    await store.delete('uploads/d/big.csv');
    expect(await store.exists('uploads/d/big.csv')).toBe(false);
  });

  test('unsigned GET, PUT, DELETE and list are refused with an S3 XML error', async () => {
    const object = `${s3.endpoint}/${BUCKET}/uploads/d/one.csv`;
    await expectRefused(await fetch(object), 'AccessDenied');
    await expectRefused(await fetch(object, { method: 'PUT', body: 'swapped' }), 'AccessDenied');
    await expectRefused(await fetch(object, { method: 'DELETE' }), 'AccessDenied');
    await expectRefused(await fetch(`${s3.endpoint}/${BUCKET}?list-type=2`), 'AccessDenied');
    await expectRefused(await fetch(`${s3.endpoint}/`), 'AccessDenied');
    expect(await store.size('uploads/d/one.csv')).toBe(CSV.length);
  });

  test('another secret or another key id is refused', async () => {
    const wrongSecret = clientWith(credentials.accessKeyId, 'not-the-secret');
    const wrongKey = clientWith('S3RVER', 'S3RVER');
    await expect(wrongSecret.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    await expect(wrongKey.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    wrongSecret.destroy();
    wrongKey.destroy();
  });

  test('a header-signed request dated more than 15 minutes off is refused', async () => {
    const late = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      systemClockOffset: -20 * 60 * 1000,
      maxAttempts: 1,
    });
    await expect(late.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'RequestTimeTooSkewed',
    });
    late.destroy();
  });

  test('a presigned PUT works as issued and fails when its signature, expiry, key or method change', async () => {
    const url = await store.presignPut('uploads/d/slot.csv', 600);
    const put = (target: string, method = 'PUT') =>
      fetch(target, { method, body: method === 'PUT' ? CSV : undefined });
    await expectRefused(
      await put(
        url.replace(
          /X-Amz-Signature=([0-9a-f])/,
          (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
        ),
      ),
      'SignatureDoesNotMatch',
    );
    await expectRefused(
      await put(url.replace('X-Amz-Expires=600', 'X-Amz-Expires=6000')),
      'SignatureDoesNotMatch',
    );
    await expectRefused(
      await put(url.replace('uploads/d/slot.csv', 'uploads/d/one.csv')),
      'SignatureDoesNotMatch',
    );
    await expectRefused(await put(url, 'GET'), 'SignatureDoesNotMatch');
    expect(await store.exists('uploads/d/slot.csv')).toBe(false);
    expect((await put(url)).status).toBe(200);
    expect(await store.size('uploads/d/slot.csv')).toBe(CSV.length);
  });

  test('a presigned PUT whose client dies mid-body leaves no partial object, nor a cut-off overwrite', async () => {
    const url = await store.presignPut('uploads/d/cut.csv', 600);
    expect((await fetch(url, { method: 'PUT', body: CSV })).status).toBe(200);
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': 1024 * 1024 } });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.write(Buffer.alloc(256 * 1024, 'y'), () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    const until = Date.now() + 5000;
    while ((await store.exists('uploads/d/cut.csv')) && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.exists('uploads/d/cut.csv')).toBe(false);
  });

  test('an expired presigned URL is refused', async () => {
    const client = clientWith(credentials.accessKeyId, credentials.secretAccessKey);
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/d/late.csv' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      },
    );
    await expectRefused(await fetch(url, { method: 'PUT', body: CSV }), 'AccessDenied');
    client.destroy();
  });

  test('chDB reads with s3() and the gateway’s keys, and is refused with other keys', async () => {
    const source = store.clickhouseSource('uploads/d/one.csv');
    const { rows } = await warehouse.query<{ n: string }>(
      sql`SELECT count() AS n FROM s3(${source.url}, ${source.accessKeyId}, ${source.secretAccessKey}, 'CSVWithNames')`,
    );
    expect(Number(rows[0]?.n)).toBe(3);
    await expect(
      warehouse.query(
        sql`SELECT count() FROM s3(${source.url}, ${source.accessKeyId}, 'wrong', 'CSVWithNames')`,
      ),
    ).rejects.toThrow(/403|SignatureDoesNotMatch|Access Denied/i);
    await expect(warehouse.query(sql`SELECT count() FROM s3(${source.url}, 'CSVWithNames')`)).rejects.toThrow(
      /403|AccessDenied|Access Denied/i,
    );
  });
});
