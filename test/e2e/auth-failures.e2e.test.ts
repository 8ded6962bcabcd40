import fs from 'node:fs';
import http from 'node:http';
import { testKey } from '../support/auth-fixture';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';

/**
 * Failed authentications are limited per client address (docs/security.md): past the burst, an
 * address's requests get 429 with Retry-After before their credentials are looked at, until the
 * allowance refills. Callers whose credentials verify never spend any of it, and another address
 * is not affected. Linux answers on all of 127.0.0.0/8, so two loopback addresses are two clients.
 */
const reader = testKey('viewer', ['reader']);
const QUERY = JSON.stringify({ query: '{ __typename }' });
const BURST = 3;

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    API_KEYS: reader.line,
    NODE_ENV: 'production',
    AUTH_FAILURES_BURST: String(BURST),
    AUTH_FAILURES_PER_MINUTE: '30',
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  if (gateway) fs.rmSync(gateway.dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

function call(
  from: string,
  key: string | undefined,
  { path = '/graphql', body = QUERY, expectContinue = false } = {},
): Promise<Answer> {
  const url = new URL(path, gateway.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      localAddress: from,
      agent: false,
      headers: {
        'content-type': path === '/graphql' ? 'application/json' : 'text/csv',
        'content-length': Buffer.byteLength(body),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(expectContinue ? { expect: '100-continue' } : {}),
      },
    });
    req.on('continue', () => req.end(body));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        }),
      );
    });
    req.on('error', reject);
    if (!expectContinue) req.end(body);
  });
}

test('callers whose credentials verify are never limited', async () => {
  for (let i = 0; i < BURST * 4; i += 1) expect((await call('127.0.0.1', reader.key)).status).toBe(200);
});

test('past the burst, failures from one address get 429 with Retry-After; other addresses do not', async () => {
  const attacker = '127.0.0.2';
  for (let i = 0; i < BURST; i += 1) {
    const answer = await call(attacker, `wrong-key-${i}`);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('UNAUTHENTICATED');
  }
  const limited = await call(attacker, 'wrong-key-again');
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe('RATE_LIMITED');
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // An upload (gated at Expect: 100-continue, before any byte of the body) is refused the same way,
  // and its answer carries one request id, in the header and in the body.
  const upload = await call(attacker, 'wrong-key', {
    path: '/uploads?dataset=guessing&kind=sales',
    body: 'a,b\n1,2\n',
    expectContinue: true,
  });
  expect(upload.status).toBe(429);
  expect(upload.body.error.requestId).toBe(upload.headers['x-request-id']);
  // The limited address is refused before its credentials are looked at, even a valid key …
  expect((await call(attacker, reader.key)).status).toBe(429);
  // … while another address is served, and fails with 401, as before.
  expect((await call('127.0.0.3', reader.key)).status).toBe(200);
  expect((await call('127.0.0.3', 'wrong-key')).status).toBe(401);
  // The allowance refills (30 a minute: one every 2 s).
  await new Promise((resolve) => setTimeout(resolve, Number(limited.headers['retry-after']) * 1000 + 300));
  expect((await call(attacker, reader.key)).status).toBe(200);
});
