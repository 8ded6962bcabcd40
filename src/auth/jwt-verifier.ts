import fs from 'node:fs';
import { LRUCache } from 'lru-cache';
import type * as JoseModule from 'jose' with { 'resolution-mode': 'import' };
import { DATASET_SCOPE, ROLES, type Role } from '../config/api-keys-config';
import type { JwtSettings } from '../config/auth-config';
import { AppError, ErrorCode } from '../errors/app-error';
import { createPrincipal, type Principal } from './principal';

/** Asymmetric algorithms only: a shared-secret (HS*) token could be minted by anyone holding the secret. */
const ALGORITHMS = ['RS256', 'ES256'];
/** Clocks of issuer and gateway may differ a little. */
const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * A signature check costs far more than a cached answer (docs/security.md has the figures), and a
 * dashboard sends the same token with every request: verified tokens are remembered, never past
 * their own expiry and at most a minute (the longest a key removed from the JWKS still counts).
 */
const VERIFIED_TOKENS = 1000;
const VERIFIED_TTL_MS = 60_000;

/** jose ships ES modules only; this CommonJS build loads it with a dynamic import. */
type Jose = typeof JoseModule;
const loadJose = (): Promise<Jose> => import('jose');

/** JWTs verified with jose against a JWKS (file or URL), mapped to the same principal as API keys. */
export class JwtVerifier {
  private constructor(
    private readonly settings: JwtSettings,
    private readonly jose: Jose,
    private readonly keys: JoseModule.JWTVerifyGetKey,
  ) {}

  private readonly verified = new LRUCache<string, Principal>({ max: VERIFIED_TOKENS, ttl: VERIFIED_TTL_MS });

  static async create(settings: JwtSettings): Promise<JwtVerifier> {
    const jose = await loadJose();
    const keys = settings.jwksFile
      ? jose.createLocalJWKSet(JSON.parse(fs.readFileSync(settings.jwksFile, 'utf8')))
      : // jose caches the remote set and refetches it when a token names an unknown key id (issuer key rotation).
        jose.createRemoteJWKSet(new URL(settings.jwksUrl ?? ''));
    return new JwtVerifier(settings, jose, keys);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: JoseModule.JWTPayload;
    try {
      ({ payload } = await this.jose.jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (!issuerKeysAvailable(this.jose, error))
        // Not the caller's fault: a server fault (logged, masked), not a 401 that hides an outage.
        throw new AppError(
          ErrorCode.INTERNAL,
          "The token issuer's keys (JWT_JWKS_URL) could not be fetched",
          {
            cause: error,
          },
        );
      throw new AppError(ErrorCode.UNAUTHENTICATED, `The token was refused: ${reasonOf(this.jose, error)}`, {
        cause: error,
      });
    }
    const roles = claimList(payload[this.settings.rolesClaim]).filter((r): r is Role =>
      (ROLES as readonly string[]).includes(r),
    );
    const datasetsClaim = payload[this.settings.datasetsClaim];
    const datasets = datasetsClaim === undefined ? null : claimList(datasetsClaim);
    if (datasets?.some((scope) => !DATASET_SCOPE.test(scope)))
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        `The token's ${this.settings.datasetsClaim} claim holds something that is not a dataset name or prefix`,
      );
    const principal = createPrincipal(`jwt:${payload.sub ?? 'unknown'}`, roles, datasets);
    const untilExpiry = (payload.exp ?? 0) * 1000 - Date.now();
    if (untilExpiry > 0) this.verified.set(token, principal, { ttl: Math.min(untilExpiry, VERIFIED_TTL_MS) });
    return principal;
  }
}

/** A claim given as an array of strings or as one space-separated string (OAuth `scope` style). */
function claimList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A JWKS URL that times out, fails, or answers something that is not a JWKS. */
function issuerKeysAvailable({ errors }: Jose, error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return false;
  return error instanceof errors.JOSEError;
}

/** What the client may learn: which check failed, never key material. */
function reasonOf({ errors }: Jose, error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'signed by an unknown key';
  if (error instanceof errors.JOSEError) return error.code;
  return 'malformed';
}
