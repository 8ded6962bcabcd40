import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashApiKey, mintApiKey } from '../../src/auth/api-key-store';
import { canSeeDataset, createPrincipal, hasRole, LOCAL_PRINCIPAL } from '../../src/auth/principal';
import { apiKeyLine, isLoopbackHost, parseApiKeys } from '../../src/config/api-keys-config';
import { loadConfig } from '../../src/config/config';

const HASH = hashApiKey('kpi_example');

describe('API key entries', () => {
  test('compact and JSON forms read the same entries; comments and blank lines are skipped', () => {
    const compact = parseApiKeys(
      `# team keys\n\nci:${HASH}:reader,uploader:acme-*,beta\nops:${'a'.repeat(64)}:admin`,
    );
    const json = parseApiKeys(
      JSON.stringify([
        { id: 'ci', sha256: HASH, roles: ['reader', 'uploader'], datasets: ['acme-*', 'beta'] },
        { id: 'ops', sha256: 'a'.repeat(64), roles: ['admin'] },
      ]),
    );
    expect(compact).toEqual(json);
    expect(parseApiKeys(`a:${HASH}:reader;b:${'b'.repeat(64)}:reader`).map((e) => e.id)).toEqual(['a', 'b']);
    expect(apiKeyLine(compact[0]!)).toBe(`ci:${HASH}:reader,uploader:acme-*,beta`);
  });

  test.each([
    [`ci:${HASH}`, /not id:sha256:roles/],
    [`ci:not-a-hash:reader`, /sha256 must be/],
    [`ci:${HASH}:owner`, /roles/],
    [`ci:${HASH}:reader:Acme Sales`, /dataset name or a prefix/],
    [`ci:${HASH}:admin:acme-*`, /admin key reaches every dataset/],
    [`ci:${HASH}:reader\nci:${'c'.repeat(64)}:reader`, /appears twice/],
    ['[{"id":"x"', /not valid JSON/],
  ])('%j is refused with a reason', (text, reason) => {
    expect(() => parseApiKeys(text)).toThrow(reason);
  });

  test('minted keys are long, random and stored only as their sha256', () => {
    const [a, b] = [mintApiKey(), mintApiKey()];
    expect(a).toMatch(/^kpi_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashApiKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('principals', () => {
  test('scopes are names or prefixes; admin sees every dataset and holds every role', () => {
    const scoped = createPrincipal('key:ci', ['reader'], ['acme-*', 'beta']);
    expect(['acme-sales', 'acme-', 'beta'].map((d) => canSeeDataset(scoped, d))).toEqual([true, true, true]);
    expect(['beta-2', 'acm', 'other'].map((d) => canSeeDataset(scoped, d))).toEqual([false, false, false]);
    expect(hasRole(scoped, 'uploader')).toBe(false);
    expect(canSeeDataset(createPrincipal('jwt:x', ['reader'], ['*']), 'anything')).toBe(true);
    expect(canSeeDataset(LOCAL_PRINCIPAL, 'anything')).toBe(true);
    expect(hasRole(LOCAL_PRINCIPAL, 'uploader')).toBe(true);
  });

  test('access is what decides answers: equal for equal roles and scopes, whatever the order', () => {
    const a = createPrincipal('key:a', ['reader', 'uploader'], ['b', 'a-*']);
    const b = createPrincipal('key:b', ['uploader', 'reader'], ['a-*', 'b']);
    expect(a.access).toBe(b.access);
    expect(createPrincipal('key:c', ['reader'], ['a-*', 'b']).access).not.toBe(a.access);
    expect(createPrincipal('key:d', ['reader', 'uploader'], null).access).not.toBe(a.access);
  });
});

describe('auth settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-auth-config-'));

  test('nothing set: loopback, no credentials, introspection and playground on, NODE_ENV production', () => {
    const config = loadConfig({});
    expect(config.env).toBe('production');
    expect(loadConfig({ NODE_ENV: '' }).env).toBe('production');
    expect(config.auth).toMatchObject({ required: false, introspection: true, playground: true });
    expect(config.auth.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  test('a non-loopback HOST needs credentials; with them, introspection and playground default off', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST: 0\.0\.0\.0 is not a loopback address.*API_KEYS/,
    );
    expect(() => loadConfig({ HOST: '10.0.0.5', API_KEYS: '' })).toThrow(/HOST/);
    const config = loadConfig({ HOST: '10.0.0.5', API_KEYS: `ci:${HASH}:reader` });
    expect(config.auth).toMatchObject({ required: true, introspection: false, playground: false });
    expect(config.auth.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', '10.0.0.5']);
    expect(
      loadConfig({
        HOST: '0.0.0.0',
        API_KEYS: `ci:${HASH}:reader`,
        ALLOWED_HOSTS: 'kpi.example.com, Other.example',
      }).auth.allowedHosts,
    ).toEqual(['kpi.example.com', 'other.example']);
    expect(loadConfig({ ALLOWED_HOSTS: '*' }).auth.allowedHosts).toBeNull();
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).auth.introspection).toBe(false);
  });

  test('keys file and JWKS are checked at boot, naming the variable', () => {
    const keys = path.join(dir, 'keys.txt');
    fs.writeFileSync(keys, `ci:${HASH}:reader\n`);
    expect(loadConfig({ API_KEYS_FILE: keys }).auth).toMatchObject({ required: true, apiKeysFile: keys });
    expect(() => loadConfig({ API_KEYS_FILE: path.join(dir, 'missing.txt') })).toThrow(
      /API_KEYS_FILE: .*missing/,
    );
    expect(() => loadConfig({ API_KEYS: `ci:${HASH}:boss` })).toThrow(/API_KEYS: entry 1/);

    const jwks = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [] }));
    expect(() => loadConfig({ JWT_JWKS_FILE: jwks })).toThrow(/JWT_ISSUER: required.*JWT_AUDIENCE: required/);
    const config = loadConfig({ JWT_JWKS_FILE: jwks, JWT_ISSUER: 'https://i', JWT_AUDIENCE: 'kpi' });
    expect(config.auth.jwt).toMatchObject({
      issuer: 'https://i',
      audience: 'kpi',
      rolesClaim: 'roles',
      datasetsClaim: 'datasets',
    });
    fs.writeFileSync(jwks, '{"not":"a jwks"}');
    expect(() => loadConfig({ JWT_JWKS_FILE: jwks, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(
      /JWT_JWKS_FILE: .*not a JWKS/,
    );
  });

  test('loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com', ''].some(isLoopbackHost)).toBe(false);
  });
});
