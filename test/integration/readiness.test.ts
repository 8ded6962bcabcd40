import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthRoutes, readinessChecks } from '../../src/server/health-route';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import { openTestStack, type TestStack } from '../support/test-stack';

/** /readyz over HTTP on the real S3 server and chDB, each taken down in turn. */
let stack: TestStack;
let server: http.Server;
let url: string;
let closed = false;

beforeAll(async () => {
  stack = await openTestStack();
  const health = createHealthRoutes(readinessChecks(stack.store, stack.warehouse), 1000);
  server = http.createServer((req, res) => {
    if (req.url === '/readyz') return void health.readyz(res);
    if (req.url === '/stop') {
      health.markStopping();
      return void res.end();
    }
    health.healthz(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  if (!closed) await stack.close();
});

const ready = async () => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('/readyz names the dependency that is down; /healthz does not ask them', async () => {
  expect(await ready()).toEqual({ status: 200, body: { status: 'ready', s3: 'up', clickhouse: 'up' } });

  await stack.s3.close();
  expect(await ready()).toEqual({
    status: 503,
    body: { status: 'unavailable', s3: 'down', clickhouse: 'up', down: ['s3'] },
  });

  await stack.warehouse.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(stack.warehouse.database)}`);
  stack.store.close();
  await stack.warehouse.close();
  closed = true;
  expect(await ready()).toEqual({
    status: 503,
    body: { status: 'unavailable', s3: 'down', clickhouse: 'down', down: ['s3', 'clickhouse'] },
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  await fetch(`${url}/stop`);
  expect(await ready()).toEqual({ status: 503, body: { status: 'stopping' } });
});
