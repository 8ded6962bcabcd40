import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LOOPBACK_HOST_NAMES, isLoopbackHost, parseApiKeys, type ApiKeyEntry } from './api-keys-config';

/**
 * Settings of who may call the gateway (docs/security.md). Without keys or a JWKS the gateway is a
 * developer's laptop: loopback binds only, every caller acts as admin.
 */
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const authEnv = {
  /** API keys: JSON array or compact `id:sha256:roles[:datasets]` entries (see api-keys-config.ts). */
  API_KEYS: z.string().optional(),
  /** A file in the same format, re-read when it changes (rotation and revocation without restart). */
  API_KEYS_FILE: z.string().optional(),
  /** JWTs are verified against this JWKS (a file, or a URL fetched and cached by jose). */
  JWT_JWKS_FILE: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** Claim holding the roles (array or space-separated string). */
  JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** Claim holding the dataset scopes (array or space-separated string); absent = every dataset. */
  JWT_DATASETS_CLAIM: z.string().min(1).default('datasets'),
  /** Host header names accepted (comma-separated), against DNS rebinding; `*` accepts any. */
  ALLOWED_HOSTS: z.string().optional(),
  /** Schema introspection; default on for a loopback bind, off otherwise. */
  GRAPHQL_INTROSPECTION: flag.optional(),
  /** The GraphiQL playground at /playground; default on for a loopback bind, off otherwise. */
  GRAPHQL_PLAYGROUND: flag.optional(),
  /** Failed authentications one client address may make at once before it is refused (429). */
  AUTH_FAILURES_BURST: z.coerce.number().int().min(1).default(20),
  /** How fast that allowance comes back, in failed attempts per minute. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().positive().default(10),
};

type AuthEnv = { HOST: string } & z.infer<z.ZodObject<typeof authEnv>>;

export interface JwtSettings {
  readonly jwksFile?: string;
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly rolesClaim: string;
  readonly datasetsClaim: string;
}

export interface AuthSettings {
  /** Credentials are required on every data route (keys or a JWKS configured). */
  readonly required: boolean;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly apiKeysFile?: string;
  readonly jwt?: JwtSettings;
  /** Lower-case Host names accepted (port ignored); null accepts any. */
  readonly allowedHosts: readonly string[] | null;
  readonly introspection: boolean;
  readonly playground: boolean;
  /** Failed authentications per client address: a bucket of `burst`, refilled `perMinute`. */
  readonly failures: { readonly burst: number; readonly perMinute: number };
}

/** Checks that need several variables together; each issue names the variable to change. */
export function checkAuthEnv(env: AuthEnv, ctx: z.RefinementCtx): void {
  const issue = (variable: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
  try {
    if (env.API_KEYS) parseApiKeys(env.API_KEYS);
  } catch (error) {
    issue('API_KEYS', (error as Error).message);
  }
  if (env.API_KEYS_FILE) {
    try {
      parseApiKeys(fs.readFileSync(path.resolve(env.API_KEYS_FILE), 'utf8'));
    } catch (error) {
      issue('API_KEYS_FILE', `${path.resolve(env.API_KEYS_FILE)}: ${(error as Error).message}`);
    }
  }
  if (env.JWT_JWKS_FILE && env.JWT_JWKS_URL)
    issue('JWT_JWKS_URL', 'set JWT_JWKS_FILE or JWT_JWKS_URL, not both');
  if (env.JWT_JWKS_FILE) {
    try {
      const jwks = JSON.parse(fs.readFileSync(path.resolve(env.JWT_JWKS_FILE), 'utf8')) as { keys?: unknown };
      if (!Array.isArray(jwks.keys)) throw new Error('no "keys" array');
    } catch (error) {
      issue('JWT_JWKS_FILE', `${path.resolve(env.JWT_JWKS_FILE)} is not a JWKS: ${(error as Error).message}`);
    }
  }
  if (env.JWT_JWKS_FILE || env.JWT_JWKS_URL) {
    if (!env.JWT_ISSUER)
      issue('JWT_ISSUER', 'required when a JWKS is configured (tokens from any issuer would pass)');
    if (!env.JWT_AUDIENCE)
      issue('JWT_AUDIENCE', 'required when a JWKS is configured (tokens for any service would pass)');
  }
  if (!credentialsConfigured(env) && !isLoopbackHost(env.HOST)) {
    issue(
      'HOST',
      `${env.HOST} is not a loopback address, and no credentials are configured: set API_KEYS, API_KEYS_FILE, JWT_JWKS_FILE or JWT_JWKS_URL (mint a key with \`kpi-gateway mint-key\`), or bind HOST=127.0.0.1`,
    );
  }
}

function credentialsConfigured(env: AuthEnv): boolean {
  return Boolean(env.API_KEYS?.trim() || env.API_KEYS_FILE || env.JWT_JWKS_FILE || env.JWT_JWKS_URL);
}

export function authSettings(env: AuthEnv): AuthSettings {
  const loopback = isLoopbackHost(env.HOST);
  const jwt: JwtSettings | undefined =
    (env.JWT_JWKS_FILE || env.JWT_JWKS_URL) && env.JWT_ISSUER && env.JWT_AUDIENCE
      ? {
          jwksFile: env.JWT_JWKS_FILE ? path.resolve(env.JWT_JWKS_FILE) : undefined,
          jwksUrl: env.JWT_JWKS_URL,
          issuer: env.JWT_ISSUER,
          audience: env.JWT_AUDIENCE,
          rolesClaim: env.JWT_ROLES_CLAIM,
          datasetsClaim: env.JWT_DATASETS_CLAIM,
        }
      : undefined;
  return {
    required: credentialsConfigured(env),
    apiKeys: env.API_KEYS ? parseApiKeys(env.API_KEYS) : [],
    apiKeysFile: env.API_KEYS_FILE ? path.resolve(env.API_KEYS_FILE) : undefined,
    jwt,
    allowedHosts: allowedHosts(env.ALLOWED_HOSTS, env.HOST),
    introspection: env.GRAPHQL_INTROSPECTION ?? loopback,
    playground: env.GRAPHQL_PLAYGROUND ?? loopback,
    failures: { burst: env.AUTH_FAILURES_BURST, perMinute: env.AUTH_FAILURES_PER_MINUTE },
  };
}

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

function allowedHosts(setting: string | undefined, host: string): readonly string[] | null {
  if (setting?.trim() === '*') return null;
  if (setting !== undefined && setting.trim() !== '')
    return setting
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
  const names = new Set(LOOPBACK_HOST_NAMES);
  const bound = host.trim().toLowerCase();
  if (!WILDCARD_BINDS.has(bound))
    names.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  return [...names];
}
