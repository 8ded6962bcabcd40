import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { fromClickHouse, S3Gate } from '../support/s3-gate';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * The built gateway against an S3 server this test runs (S3_ENDPOINT), so the test can stall or
 * swap what ClickHouse reads: readiness with S3 down, a load whose reads stall, an object swapped
 * between receive and load, and SIGTERM with a load in flight.
 */
const BUCKET = 'kpi-ext';
const credentials = {
  accessKeyId: `E2E${randomBytes(6).toString('hex')}`,
  secretAccessKey: randomBytes(24).toString('hex'),
};
const gate = new S3Gate();
let s3Dir: string;
let s3: EmbeddedS3Server;
let client: S3Client;
let gateway: GatewayProcess;
const dataDirs: string[] = [];

const csv = toCsv(generateSalesRows({ seed: 9, rows: 200, from: new Date('2025-05-01T00:00:00Z'), days: 3 }));
const swapped = csv.replace(/\d(?=\.\d\d\b)/, (d) => String((Number(d) + 1) % 10));

function start(env: Record<string, string> = {}, dataDir?: string): Promise<GatewayProcess> {
  return startGatewayProcess(
    {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      READY_CHECK_TIMEOUT_MS: '1000',
      ...env,
    },
    dataDir,
  ).then((started) => {
    dataDirs.push(started.dataDir);
    return started;
  });
}

beforeAll(async () => {
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-ext-s3-'));
  s3 = await startEmbeddedS3({ directory: s3Dir, port: 0, bucket: BUCKET, credentials, gate: gate.gate });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  gateway = await start({ LOAD_S3_TIMEOUT_MS: '1000' });
});

afterEach(() => gate.open());

afterAll(async () => {
  gate.open();
  await gateway?.stop();
  client?.destroy();
  await s3?.close();
  for (const dir of [s3Dir, ...dataDirs]) fs.rmSync(dir, { recursive: true, force: true });
});

const uploadsOf = (dataset: string) => (request: { key: string; userAgent: string }) =>
  fromClickHouse(request as never) && request.key.startsWith(`uploads/${dataset}/`);

test('/readyz names S3 as down while it does not answer, and recovers; /healthz stays 200', async () => {
  gate.close((request) => request.method === 'HEAD' && request.key === '' && !fromClickHouse(request));
  const down = await fetch(`${gateway.url}/readyz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ status: 'unavailable', s3: 'down', clickhouse: 'up', down: ['s3'] });
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  gate.open();
  expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
});

test('an object swapped between receive and load fails the upload with OBJECT_CHANGED', async () => {
  gate.close(uploadsOf('e2e-swap'));
  const answer = upload(gateway.url, 'e2e-swap', csv);
  await gate.holding();
  const key = gate.seen.at(-1)?.key ?? '';
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: swapped }));
  gate.open();
  const { status, body } = await answer;
  expect(status).toBe(502);
  expect(body).toMatchObject({ status: 'FAILED', rowsLoaded: 0, error: { code: 'OBJECT_CHANGED' } });
});

test('a load whose S3 reads stall ends FAILED with LOAD_TIMEOUT, and a retry then loads it', async () => {
  gate.close(uploadsOf('e2e-stall'));
  const started = Date.now();
  const { status, body } = await upload(gateway.url, 'e2e-stall', csv);
  expect(status).toBe(502);
  expect(body).toMatchObject({ status: 'FAILED', rowsLoaded: 0, error: { code: 'LOAD_TIMEOUT' } });
  expect(Date.now() - started).toBeLessThan(60_000);
  gate.open();
  const retried = await graphql(
    gateway.url,
    `mutation { retryUpload(id: "${body.id}") { status rowsLoaded } }`,
  );
  expect(retried.data).toEqual({ retryUpload: { status: 'LOADED', rowsLoaded: 200 } });
});

test('SIGTERM lets an upload in flight finish, then exits 0', async () => {
  const draining = await start({ SHUTDOWN_TIMEOUT_MS: '8000' });
  gate.close(uploadsOf('e2e-drain'));
  const answer = upload(draining.url, 'e2e-drain', csv);
  await gate.holding();
  const signalled = Date.now();
  const exited = draining.stop('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  gate.open();
  expect(await answer).toMatchObject({ status: 201, body: { status: 'LOADED', rowsLoaded: 200 } });
  expect(await exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(8000);
});

test('SIGTERM with a load in flight exits within the bound; the load completes at the next start', async () => {
  const stopping = await start({ SHUTDOWN_TIMEOUT_MS: '4000' });
  gate.close(uploadsOf('e2e-term'));
  const answer = upload(stopping.url, 'e2e-term', csv).catch((error: unknown) => error);
  await gate.holding();
  const signalled = Date.now();
  await stopping.stop('SIGTERM');
  const took = Date.now() - signalled;
  expect(took).toBeLessThan(4000 + 1500);
  // The request was cut off (a fetch error), not answered.
  expect(await answer).toMatchObject({ message: expect.stringMatching(/fetch failed|terminated|socket/i) });
  expect(stopping.logs.join('\n')).toMatch(/shutdown interrupted loads/);
  gate.open();

  const restarted = await start({}, stopping.dataDir);
  try {
    let found: any;
    const until = Date.now() + 60_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      found = await graphql(
        restarted.url,
        '{ uploads(dataset: "e2e-term") { nodes { status rowsLoaded attempts } } }',
      );
    } while (found.data?.uploads.nodes[0]?.status !== 'LOADED' && Date.now() < until);
    // The interrupted attempt was handed back, not counted: the recovered load is attempt 1.
    expect(found.data.uploads.nodes).toEqual([{ status: 'LOADED', rowsLoaded: 200, attempts: 1 }]);
  } finally {
    await restarted.stop();
  }
});
