import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtVerifier } from '../../src/auth/jwt-verifier';
import { canSeeDataset, hasRole } from '../../src/auth/principal';
import { AUDIENCE, ISSUER, jose, signWith } from '../support/auth-fixture';

/** JWTs against a JWKS served over HTTP (JWT_JWKS_URL), with custom claim names. */
let server: http.Server;
let jwksUrl: string;
let requests = 0;
let privateKey: Parameters<typeof signWith>[0];

beforeAll(async () => {
  const { generateKeyPair, exportJWK } = await jose();
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256' }],
  });
  server = http.createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const settings = () => ({
  jwksUrl,
  issuer: ISSUER,
  audience: AUDIENCE,
  rolesClaim: 'https://kpi.example/roles',
  datasetsClaim: 'https://kpi.example/datasets',
});

test('an RS256 token verified against a JWKS URL maps custom claims to roles and scopes', async () => {
  const verifier = await JwtVerifier.create(settings());
  const token = await signWith(privateKey, 'RS256', {
    sub: 'ana',
    'https://kpi.example/roles': ['uploader', 'superuser'],
    'https://kpi.example/datasets': 'acme-* beta',
  });
  const principal = await verifier.verify(token);
  expect(principal.id).toBe('jwt:ana');
  expect([...principal.roles]).toEqual(['uploader']);
  expect(hasRole(principal, 'reader')).toBe(false);
  expect(['acme-1', 'beta', 'beta-2'].map((d) => canSeeDataset(principal, d))).toEqual([true, true, false]);
  expect(requests).toBe(1);
  // Remembered: the same token again needs neither the JWKS nor a signature check.
  expect(await verifier.verify(token)).toBe(principal);
  expect(requests).toBe(1);
});

test('a token whose dataset claim is not dataset names is refused; a missing claim means every dataset', async () => {
  const verifier = await JwtVerifier.create(settings());
  const bad = await signWith(privateKey, 'RS256', {
    sub: 'x',
    'https://kpi.example/roles': ['reader'],
    'https://kpi.example/datasets': ['../etc'],
  });
  await expect(verifier.verify(bad)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  const open = await signWith(privateKey, 'RS256', { sub: 'y', 'https://kpi.example/roles': 'reader' });
  expect((await verifier.verify(open)).datasets).toBeNull();
});

test('a token signed with an algorithm outside RS256/ES256, or under an unknown key id, is refused', async () => {
  const verifier = await JwtVerifier.create(settings());
  const { generateKeyPair, SignJWT } = await jose();
  const ps = await generateKeyPair('PS256');
  const token = await new SignJWT({ 'https://kpi.example/roles': ['admin'] })
    .setProtectedHeader({ alg: 'PS256', kid: 'other' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(ps.privateKey);
  await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
});

test('an unreachable JWKS URL is a server fault (INTERNAL, logged and masked), not a refused caller', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const verifier = await JwtVerifier.create({ ...settings(), jwksUrl: `http://127.0.0.1:${port}/jwks.json` });
  const token = await signWith(privateKey, 'RS256', { sub: 'ana', 'https://kpi.example/roles': ['reader'] });
  await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INTERNAL' });
});
