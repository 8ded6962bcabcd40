import type { IncomingHttpHeaders } from 'node:http';
import type { AuthSettings } from '../config/auth-config';
import type { Logger } from '../config/logger';
import { AppError, ErrorCode } from '../errors/app-error';
import { ApiKeyStore } from './api-key-store';
import { JwtVerifier } from './jwt-verifier';
import { LOCAL_PRINCIPAL, createPrincipal, type Principal } from './principal';

/** A compact JWS: three base64url parts, the header a JSON object (`eyJ` = `{"`). */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Longer than any key or reasonable token: refused before hashing or parsing. */
const MAX_CREDENTIAL_LENGTH = 16 * 1024;

/**
 * Turns a request's credentials into a principal. Without keys or a JWKS configured (a loopback
 * bind, enforced by config) every caller is the local developer and credentials are ignored.
 */
export class Authenticator {
  private constructor(
    readonly required: boolean,
    private readonly keys: ApiKeyStore,
    private readonly jwt: JwtVerifier | undefined,
  ) {}

  static async create(settings: AuthSettings, logger: Logger): Promise<Authenticator> {
    const keys = new ApiKeyStore(settings.apiKeys, settings.apiKeysFile, logger);
    const jwt = settings.jwt ? await JwtVerifier.create(settings.jwt) : undefined;
    return new Authenticator(settings.required, keys, jwt);
  }

  /** What the start-up log says about callers. */
  describe(): Record<string, unknown> {
    return this.required
      ? { credentials: 'required', apiKeys: this.keys.size, jwt: this.jwt !== undefined }
      : { credentials: 'none configured: loopback callers only, each acting as admin' };
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    if (!this.required) return LOCAL_PRINCIPAL;
    const credential = credentialOf(headers);
    if (credential === undefined)
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Credentials required: send `Authorization: Bearer <API key or JWT>` (or `x-api-key: <API key>`)',
      );
    if (credential.length > MAX_CREDENTIAL_LENGTH)
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'The credential is too long to be a key or a token');
    if (JWT_SHAPE.test(credential)) {
      if (!this.jwt)
        throw new AppError(ErrorCode.UNAUTHENTICATED, 'Tokens are not accepted here (no JWKS configured)');
      return this.jwt.verify(credential);
    }
    const entry = this.keys.verify(credential);
    if (!entry)
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'The API key is not valid (unknown, revoked or mistyped)',
      );
    return createPrincipal(`key:${entry.id}`, entry.roles, entry.datasets ?? null);
  }
}

function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1])
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'The Authorization header must be `Bearer <API key or JWT>`',
      );
    return match[1];
  }
  const key = headers['x-api-key'];
  const value = (Array.isArray(key) ? key[0] : key)?.trim();
  return value ? value : undefined;
}

/** Request headers that carry credentials: answers to them vary by caller. */
export const CREDENTIAL_HEADERS = ['authorization', 'x-api-key'] as const;
