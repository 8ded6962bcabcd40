import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import {
  AUDIENCE,
  ISSUER,
  gql,
  jose,
  signWith,
  tempDir,
  testIssuer,
  testKey,
  type TestIssuer,
  type TestKey,
} from '../support/auth-fixture';

/** Credentials over HTTP against the built gateway: API keys (env and file, rotated) and JWTs. */
const DATASETS = '{ datasets { name } }';
/** Minted the way an operator does it: `kpi-gateway mint-key` prints the key once and its config line. */
function mintWithCli(id: string, roles: string): TestKey {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist/src/cli/kpi-gateway.js'), 'mint-key', '--id', id, '--roles', roles],
    { encoding: 'utf8' },
  );
  expect(run.status).toBe(0);
  const [key, line] = [
    /^\s+(kpi_\S+)$/m.exec(run.stdout)?.[1],
    /^\s+(\S+:[0-9a-f]{64}:\S+)$/m.exec(run.stdout)?.[1],
  ];
  expect(key).toBeDefined();
  expect(line).toBe(`${id}:${createHash('sha256').update(key!).digest('hex')}:${roles}`);
  return { id, key: key!, line: line! };
}

const envKey = mintWithCli('from-env', 'reader');
const oldKey = testKey('old', ['reader']);
const newKey = testKey('new', ['reader']);
const dir = tempDir('kpi-auth-credentials-');
const keysFile = path.join(dir, 'api-keys.txt');

let gateway: GatewayProcess;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await testIssuer(dir);
  fs.writeFileSync(keysFile, `# rotation: old and new both active\n${oldKey.line}\n${newKey.line}\n`);
  gateway = await startGatewayProcess({
    API_KEYS: envKey.line,
    API_KEYS_FILE: keysFile,
    JWT_JWKS_FILE: issuer.jwksFile,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

describe('API keys', () => {
  test('a configured key is accepted as a Bearer credential and as x-api-key', async () => {
    for (const via of ['authorization', 'x-api-key'] as const) {
      const answer = await gql(gateway.url, envKey.key, DATASETS, {}, via);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { datasets: [] } });
    }
  });

  test('no credential, a wrong key or a malformed header: 401 UNAUTHENTICATED, nothing answered', async () => {
    for (const credential of [undefined, `${envKey.key}x`, 'kpi_guess', envKey.line]) {
      const answer = await gql(gateway.url, credential, DATASETS);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(answer.body.data).toBeUndefined();
    }
    const basic = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${envKey.key}` },
      body: JSON.stringify({ query: DATASETS }),
    });
    expect(basic.status).toBe(401);
  });

  test('rotation: old and new keys both work, then the old one is revoked without a restart', async () => {
    expect((await gql(gateway.url, oldKey.key, DATASETS)).status).toBe(200);
    expect((await gql(gateway.url, newKey.key, DATASETS)).status).toBe(200);
    fs.writeFileSync(keysFile, `${newKey.line}\n`);
    // The file is looked at no more than once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const revoked = await gql(gateway.url, oldKey.key, DATASETS);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/not valid/);
    expect((await gql(gateway.url, newKey.key, DATASETS)).status).toBe(200);
    expect((await gql(gateway.url, envKey.key, DATASETS)).status).toBe(200);
  });

  test('a broken keys file keeps the keys loaded before (and says so in the log)', async () => {
    fs.writeFileSync(keysFile, 'this is not a key line\n');
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await gql(gateway.url, newKey.key, DATASETS)).status).toBe(200);
    expect(gateway.logs.join('\n')).toContain('API keys file unreadable');
    fs.writeFileSync(keysFile, `${newKey.line}\n`);
  });
});

describe('JWTs', () => {
  test('a valid token maps its claims to roles and dataset scopes', async () => {
    const token = await issuer.sign({ sub: 'ana', roles: ['reader'], datasets: ['acme-*'] });
    const answer = await gql(gateway.url, token, DATASETS);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ datasets: [] });
    // Roles come from the token: a reader cannot create uploads.
    const refused = await gql(
      gateway.url,
      token,
      'mutation { createUpload(dataset: "acme-x", kind: SALES) { url } }',
    );
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // A space-separated claim (OAuth scope style) works as well.
    const spaced = await issuer.sign({ sub: 'bo', roles: 'reader uploader' });
    expect((await gql(gateway.url, spaced, DATASETS)).status).toBe(200);
  });

  test.each([
    ['a wrong issuer', { issuer: 'https://elsewhere.test' }, /iss/],
    ['a wrong audience', { audience: 'another-service' }, /aud/],
    ['an expired token', { expiresIn: Math.floor(Date.now() / 1000) - 120 }, /expired/],
  ])('%s is refused with 401', async (_case, options, reason) => {
    const token = await issuer.sign({ sub: 'ana', roles: ['admin'] }, options);
    const answer = await gql(gateway.url, token, DATASETS);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('UNAUTHENTICATED');
    expect(answer.body.error.message).toMatch(reason);
  });

  test('a bad signature is refused: another key under the same key id, or a tampered payload', async () => {
    const stranger = await (await jose()).generateKeyPair('ES256');
    const forged = await signWith(stranger.privateKey, 'ES256', { sub: 'mallory', roles: ['admin'] });
    const forgedAnswer = await gql(gateway.url, forged, DATASETS);
    expect(forgedAnswer.status).toBe(401);
    expect(forgedAnswer.body.error.message).toMatch(/signature/);

    const genuine = await issuer.sign({ sub: 'ana', roles: ['reader'], datasets: ['acme-*'] });
    const [header, , signature] = genuine.split('.');
    const escalated = Buffer.from(
      JSON.stringify({ sub: 'ana', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: 4102444800 }),
    ).toString('base64url');
    const tampered = await gql(gateway.url, `${header}.${escalated}.${signature}`, DATASETS);
    expect(tampered.status).toBe(401);
  });

  test('a shared-secret (HS256) token is refused even with the right claims', async () => {
    const token = await signWith(new TextEncoder().encode('x'.repeat(32)), 'HS256', {
      sub: 'ana',
      roles: ['admin'],
    });
    expect((await gql(gateway.url, token, DATASETS)).status).toBe(401);
  });
});
