import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { hashApiKey, mintApiKey } from '../../src/auth/api-key-store';

/** jose ships ES modules only: loaded with a dynamic import (jest compiles it, see jest.config.js). */
export const jose = (): Promise<typeof Jose> => import('jose');
type JWTPayload = Jose.JWTPayload;
type SigningKey = Parameters<Jose.SignJWT['sign']>[0];

/** A minted key: the secret a client sends and the line the gateway is configured with. */
export interface TestKey {
  readonly id: string;
  readonly key: string;
  readonly line: string;
}

export function testKey(id: string, roles: string[], datasets?: string[]): TestKey {
  const key = mintApiKey();
  const line = [id, hashApiKey(key), roles.join(','), ...(datasets ? [datasets.join(',')] : [])].join(':');
  return { id, key, line };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An issuer: a key pair made with jose, its public half written as a JWKS file. */
export interface TestIssuer {
  readonly jwksFile: string;
  sign(
    claims: JWTPayload,
    options?: { issuer?: string; audience?: string; expiresIn?: string | number },
  ): Promise<string>;
}

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'kpi-gateway';

export async function testIssuer(dir: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<TestIssuer> {
  const { generateKeyPair, exportJWK } = await jose();
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg, use: 'sig' };
  const jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  return {
    jwksFile,
    sign: (claims, options = {}) => signWith(privateKey, alg, claims, options),
  };
}

/** A token signed by any private key (a stranger's, to test signatures). */
export async function signWith(
  privateKey: SigningKey,
  alg: string,
  claims: JWTPayload,
  options: { issuer?: string; audience?: string; expiresIn?: string | number } = {},
): Promise<string> {
  const { SignJWT } = await jose();
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: 'test-key' })
    .setSubject(String(claims.sub ?? 'someone'))
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(privateKey);
}

/** POST a GraphQL operation with a credential; answers status, headers and JSON body. */
export async function gql(
  url: string,
  credential: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  via: 'authorization' | 'x-api-key' = 'authorization',
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential !== undefined) headers[via] = via === 'authorization' ? `Bearer ${credential}` : credential;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** POST /uploads with a credential. */
export async function uploadAs(
  url: string,
  credential: string | undefined,
  dataset: string,
  csv: string | Buffer,
  extra: { kind?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(
    `${url}/uploads?dataset=${encodeURIComponent(dataset)}&kind=${extra.kind ?? 'sales'}${extra.query ?? ''}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        ...extra.headers,
      },
      body: csv,
    },
  );
  return { status: response.status, body: await response.json() };
}
