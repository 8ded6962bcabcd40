import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';

/**
 * The upload route's failure paths over HTTP against the built gateway with its embedded S3 server:
 * stalled and slow bodies, a client killed mid-stream, liveness and readiness.
 */
let gateway: GatewayProcess;
let s3: S3Client;
let s3Dir: string;

const BUCKET = 'kpi-uploads';
const csv = toCsv(generateSalesRows({ seed: 5, rows: 200, from: new Date('2025-04-01T00:00:00Z'), days: 3 }));

beforeAll(async () => {
  gateway = await startGatewayProcess({
    UPLOAD_BODY_IDLE_TIMEOUT_MS: '1500',
    UPLOAD_BODY_TIMEOUT_MS: '5000',
    GRAPHQL_BODY_TIMEOUT_MS: '1500',
  });
  const listening = gateway.logs.map((line) => safeJson(line)).find((entry) => entry?.msg === 'listening');
  const credentials = JSON.parse(
    fs.readFileSync(path.join(gateway.dataDir, 's3-credentials.json'), 'utf8'),
  ) as { accessKeyId: string; secretAccessKey: string };
  s3 = new S3Client({
    endpoint: String(listening?.s3),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  s3Dir = path.join(gateway.dataDir, 's3');
});

afterAll(async () => {
  s3?.destroy();
  await gateway?.stop();
  if (gateway) fs.rmSync(gateway.dataDir, { recursive: true, force: true });
});

function safeJson(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function storedUploads(dataset: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `uploads/${dataset}/` }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

/** Multipart parts s3rver keeps for unfinished uploads (its staging directory). */
function stagedParts(): string[] {
  const staging = path.join(s3Dir, BUCKET, '._S3rver_uploads');
  return fs.existsSync(staging) ? fs.readdirSync(staging) : [];
}

/** A raw upload request the test writes by hand: `length` declared, or chunked when undefined. */
function openUpload(dataset: string, length?: number) {
  const req = http.request(`${gateway.url}/uploads?dataset=${dataset}&kind=sales`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...(length !== undefined ? { 'content-length': length } : {}) },
  });
  const response = new Promise<{ status: number; body: any; ms: number }>((resolve, reject) => {
    const started = Date.now();
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString()),
          ms: Date.now() - started,
        }),
      );
    });
    req.on('error', reject);
  });
  return { req, response };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await sleep(100);
  }
}

describe('liveness and readiness', () => {
  test('/healthz answers without asking dependencies; /readyz reports S3 and ClickHouse', async () => {
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', s3: 'up', clickhouse: 'up' });
  });
});

describe('GraphQL bodies that stall', () => {
  test('a GraphQL body that stops mid-way is answered 408 within its timeout; the gateway still answers', async () => {
    const body = JSON.stringify({ query: '{ datasets { name } }' });
    const answer = await new Promise<{ status: number; body: any; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const req = http.request(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()),
            ms: Date.now() - started,
          }),
        );
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
    });
    expect(answer.status).toBe(408);
    expect(answer.body.errors?.[0]?.extensions?.code ?? answer.body.error?.code).toBe('REQUEST_TIMEOUT');
    expect(answer.ms).toBeGreaterThanOrEqual(1400);
    expect(answer.ms).toBeLessThan(10_000);
    const after = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(after.status).toBe(200);
  });
});

describe('upload bodies that stall or die', () => {
  test('a body that stops sending is answered 408 after the idle timeout and nothing is kept', async () => {
    const { req, response } = openUpload('stall-idle', csv.length);
    req.write(csv.slice(0, 100));
    const answer = await response;
    expect(answer.status).toBe(408);
    expect(answer.body.error.code).toBe('REQUEST_TIMEOUT');
    expect(answer.ms).toBeGreaterThanOrEqual(1400);
    expect(answer.ms).toBeLessThan(5000);
    req.destroy();
    await eventually(async () => (await storedUploads('stall-idle')).length === 0);
  });

  test('a body that trickles past the total timeout is answered 408', async () => {
    const { req, response } = openUpload('stall-total', csv.length);
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < csv.length) req.write(csv.slice(sent, (sent += 20)));
    }, 400);
    const answer = await response;
    clearInterval(trickle);
    req.destroy();
    expect(answer.status).toBe(408);
    expect(answer.body.error.message).toMatch(/took too long/);
    expect(answer.ms).toBeGreaterThanOrEqual(4900);
    await eventually(async () => (await storedUploads('stall-total')).length === 0);
  });

  test.each([
    ['chunked (multipart to S3)', 'killed-chunked', undefined],
    ['declared length (one PUT to S3)', 'killed-length', 64 * 1024 * 1024],
  ])('a client killed mid-stream, %s, leaves no object and no parts', async (_label, dataset, length) => {
    const { req, response } = openUpload(dataset, length);
    response.catch(() => undefined);
    const header = csv.slice(0, csv.indexOf('\n') + 1);
    const line = csv.slice(header.length, csv.indexOf('\n', header.length) + 1);
    req.write(header);
    // ~12 MB: more than one 8 MiB part reaches the store before the client dies.
    const block = line.repeat(Math.ceil((1024 * 1024) / line.length));
    for (let i = 0; i < 12; i++) await new Promise<void>((resolve) => req.write(block, () => resolve()));
    await sleep(300);
    req.socket?.destroy();
    req.destroy();
    await eventually(
      async () => (await storedUploads(dataset)).length === 0 && stagedParts().length === 0,
    ).catch(async (error: unknown) => {
      console.log(await storedUploads(dataset), stagedParts(), gateway.logs.slice(-8));
      throw error;
    });
    // The gateway stays ready for the next upload.
    const ok = await fetch(`${gateway.url}/uploads?dataset=${dataset}&kind=sales`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(ok.status).toBe(201);
  });
});
