import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import type { AuthSettings } from '../config/auth-config';
import { AppError, ErrorCode, isAppError } from '../errors/app-error';
import { TokenBuckets } from '../graphql/limits/token-buckets';

/**
 * Failed authentications per client address (docs/security.md, "Failed authentication"). Each
 * address has a bucket of `burst` failures, refilled at `perMinute`; only a failure takes a token,
 * so callers whose credentials verify never spend any. Once an address's bucket is empty, its
 * requests are refused with 429 and Retry-After BEFORE their credentials are looked at: guessing
 * keys, or making the gateway verify forged tokens, stops at the rate of the refill. The address is
 * the socket's (no forwarding header is trusted); behind a proxy every client shares the proxy's
 * address, so raise the limits there or limit at the proxy.
 */
export class AuthAttempts {
  private readonly failures: TokenBuckets;

  constructor(
    private readonly auth: Authenticator,
    private readonly limit: AuthSettings['failures'],
  ) {
    this.failures = new TokenBuckets(limit.burst, limit.perMinute / 60_000);
  }

  get required(): boolean {
    return this.auth.required;
  }

  /** What the start-up log says about callers. */
  describe(): Record<string, unknown> {
    return this.required ? { ...this.auth.describe(), authFailures: this.limit } : this.auth.describe();
  }

  /**
   * The caller of `req`, from `headers` (a WebSocket's credentials come in its connection
   * parameters rather than on the upgrade request's headers).
   */
  async authenticate(req: IncomingMessage, headers: IncomingHttpHeaders = req.headers): Promise<Principal> {
    if (!this.auth.required) return this.auth.authenticate(headers);
    const address = `addr:${req.socket.remoteAddress ?? 'unknown'}`;
    const now = Date.now();
    if (this.failures.available(address, now) < 1) throw this.refusal(address, now);
    try {
      return await this.auth.authenticate(headers);
    } catch (error) {
      if (isAppError(error) && error.code === ErrorCode.UNAUTHENTICATED) this.failures.take(address, 1, now);
      throw error;
    }
  }

  private refusal(address: string, now: number): AppError {
    const missing = 1 - this.failures.available(address, now);
    const retryAfterSeconds = Math.max(1, Math.ceil((missing * 60) / this.limit.perMinute));
    return new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many failed authentication attempts from this address; retry after ${retryAfterSeconds} s`,
      { details: { kind: 'authentication', retryAfterSeconds } },
    );
  }
}
