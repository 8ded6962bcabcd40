import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { gql, testKey } from '../support/auth-fixture';

/**
 * Secure defaults over HTTP: the bind without credentials, the Host allow-list, cross-site uploads,
 * error masking with NODE_ENV unset, introspection and the playground.
 */
const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'));
const admin = testKey('admin', ['admin']);
const INTROSPECTION = '{ __schema { queryType { name } } }';

/** The default test gateway: loopback, no keys. */
let local: GatewayProcess;
/** Bound to every interface with a key, NODE_ENV unset: what `docker run` gets. */
let exposed: GatewayProcess;
let exposedUrl: string;

beforeAll(async () => {
  [local, exposed] = await Promise.all([
    startGatewayProcess({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_PLAYGROUND: 'false' }),
    startGatewayProcess({ HOST: '0.0.0.0', API_KEYS: admin.line, NODE_ENV: '' }),
  ]);
  exposedUrl = exposed.url.replace('0.0.0.0', '127.0.0.1');
}, 180_000);

afterAll(async () => {
  await Promise.all([local?.stop(), exposed?.stop()]);
});

/** A raw request, so the Host header can be anything (fetch does not let a caller set it). */
function request(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url + options.path,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const datasetNames = async (url: string): Promise<string[]> =>
  ((await gql(url, undefined, '{ datasets { name } }')).body.data.datasets as Array<{ name: string }>).map(
    (d) => d.name,
  );

describe('binding', () => {
  test('a non-loopback HOST without keys refuses to start, naming the setting', async () => {
    await expect(startGatewayProcess({ HOST: '0.0.0.0' })).rejects.toThrow(
      /HOST: 0\.0\.0\.0 is not a loopback address, and no credentials are configured: set API_KEYS/,
    );
  });

  test('no keys configured: loopback only, said at start', () => {
    expect(local.logs.join('\n')).toMatch(/no API keys or JWKS configured: serving loopback callers only/);
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe('Host allow-list (DNS rebinding)', () => {
  test('a foreign Host is refused before anything runs; loopback names pass', async () => {
    const port = new URL(local.url).port;
    const body = JSON.stringify({ query: '{ datasets { name } }' });
    const ask = (host: string) =>
      request(local.url, {
        method: 'POST',
        path: '/graphql',
        headers: { host, 'content-type': 'application/json' },
        body,
      });
    const rebound = await ask(`attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/ALLOWED_HOSTS/),
    });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) expect((await ask(host)).status).toBe(200);
    // The same on a gateway bound to every interface: only the names it is configured for.
    const exposedPort = new URL(exposedUrl).port;
    const exposedAsk = (host: string) =>
      request(exposedUrl, {
        method: 'POST',
        path: '/graphql',
        headers: { host, 'content-type': 'application/json', authorization: `Bearer ${admin.key}` },
        body,
      });
    expect((await exposedAsk(`attacker.example:${exposedPort}`)).status).toBe(403);
    expect((await exposedAsk(`localhost:${exposedPort}`)).status).toBe(200);
  });
});

describe('cross-site uploads (CSRF)', () => {
  const post = (headers: Record<string, string>, dataset: string) =>
    request(local.url, {
      method: 'POST',
      path: `/uploads?dataset=${dataset}&kind=sales`,
      headers: { 'content-length': String(SAMPLE.length), ...headers },
      body: SAMPLE,
    });

  test('a simple cross-site post (text/plain or form, foreign Origin) loads nothing', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'content-type': 'text/plain', origin: 'https://attacker.example' }, 'csrf-text'],
      [{ 'content-type': 'application/x-www-form-urlencoded', origin: 'null' }, 'csrf-form'],
      [{ 'content-type': 'text/csv', origin: 'https://attacker.example' }, 'csrf-csv'],
      [{ 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }, 'csrf-fetch-site'],
    ];
    for (const [headers, dataset] of cases) {
      const answer = await post(headers, dataset);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('FORBIDDEN');
    }
    const names = await datasetNames(local.url);
    for (const [, dataset] of cases) expect(names).not.toContain(dataset);
  });

  test('same-origin pages, non-simple content types and scripts still upload', async () => {
    const host = new URL(local.url).host;
    expect(
      (await post({ 'content-type': 'text/plain', origin: `http://${host}` }, 'same-origin')).status,
    ).toBe(201);
    expect(
      (
        await post(
          {
            'content-type': 'text/plain',
            'sec-fetch-site': 'cross-site',
            'apollo-require-preflight': 'true',
          },
          'preflighted',
        )
      ).status,
    ).toBe(201);
    // curl --data-binary and fetch with a string body: no browser headers.
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'script')).status).toBe(201);
  });
});

describe('NODE_ENV unset behaves like production', () => {
  test('a server fault is masked for the client, with the request id; details only in the log', async () => {
    // Take the object store's bucket away under the running gateway: every upload now fails on the server side.
    const bucket = findDirectory(exposed.dataDir, 'kpi-uploads');
    expect(bucket).toBeDefined();
    fs.rmSync(bucket!, { recursive: true, force: true });
    const response = await fetch(`${exposedUrl}/uploads?dataset=masked&kind=sales`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${admin.key}`,
        'x-request-id': 'req-masking-1',
      },
      body: SAMPLE,
    });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get('x-request-id')).toBe('req-masking-1');
    const body = (await response.json()) as any;
    expect(body.error).toEqual({
      code: expect.any(String),
      message: 'The service could not answer; try again later.',
      requestId: 'req-masking-1',
    });
    const logged = exposed.logs.filter((line) => line.includes('req-masking-1'));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).toMatch(/"level":"error"/);
  });

  test('GraphQL errors carry no stack traces', async () => {
    const answer = await gql(exposedUrl, admin.key, '{ nope }');
    expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors[0].extensions.stacktrace).toBeUndefined();
  });
});

describe('introspection and the playground', () => {
  test('off by default on a non-loopback bind', async () => {
    const introspection = await gql(exposedUrl, admin.key, INTROSPECTION);
    expect(introspection.body.data).toBeUndefined();
    expect(introspection.body.errors[0].message).toMatch(/introspection/i);
    expect((await fetch(`${exposedUrl}/playground`)).status).toBe(404);
    expect(exposed.logs.join('\n')).toMatch(/"introspection":false,"playground":false/);
  });

  test('can be turned off on loopback (GRAPHQL_INTROSPECTION, GRAPHQL_PLAYGROUND)', async () => {
    const introspection = await gql(local.url, undefined, INTROSPECTION);
    expect(introspection.body.errors[0].message).toMatch(/introspection/i);
    expect((await fetch(`${local.url}/playground`)).status).toBe(404);
    expect(
      (await fetch(`${local.url}/graphql`, { headers: { accept: 'text/html' } })).headers.get('content-type'),
    ).not.toContain('text/html');
  });
});

function findDirectory(root: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(root, entry.name);
    if (entry.name === name) return full;
    const found = findDirectory(full, name);
    if (found) return found;
  }
  return undefined;
}
