import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { queryPairs } from './query-string';

/** The one key pair the embedded object store accepts. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the verifier needs of an incoming request (the raw path and query, as sent). */
export interface SignedRequest {
  readonly method: string;
  /** `req.url` as received: path and query string, still percent-encoded. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type Verdict =
  | { readonly ok: true; readonly presigned: boolean }
  | { readonly ok: false; readonly code: S3ErrorCode; readonly message: string };

export type S3ErrorCode =
  | 'AccessDenied'
  | 'InvalidAccessKeyId'
  | 'SignatureDoesNotMatch'
  | 'RequestTimeTooSkewed'
  | 'AuthorizationQueryParametersError'
  | 'InternalError';

/** S3 refuses header-signed requests whose clock is further off than this. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** SigV4 presigned URLs may live a week at most. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_QUERY = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
];

/** node:crypto in the shape the signer asks for (`new Sha256(secret?)`, `update`, `digest`). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const deny = (code: S3ErrorCode, message: string) => ({ ok: false as const, code, message });

/**
 * Verifies AWS Signature V4 by signing the same request again with the AWS SDK's own signer and
 * comparing in constant time; only the parsing of what the client claims is ours. A presigned URL
 * binds its method and path (the key) through the signature, and its expiry is checked here.
 */
export class SigV4Verifier {
  constructor(private readonly credentials: S3Credentials) {}

  async verify(request: SignedRequest, now: Date = new Date()): Promise<Verdict> {
    const query = parseQuery(request.url);
    const authorization = header(request.headers, 'authorization');
    if (authorization !== undefined && query.has('X-Amz-Signature'))
      return deny('AccessDenied', 'Only one authentication mechanism is allowed');
    if (authorization !== undefined) return this.verifyHeader(request, query, authorization, now);
    if (query.has('X-Amz-Signature')) return this.verifyPresigned(request, query, now);
    return deny('AccessDenied', 'Anonymous access is not allowed: sign the request (AWS Signature V4)');
  }

  private async verifyHeader(
    request: SignedRequest,
    query: Map<string, string[]>,
    authorization: string,
    now: Date,
  ): Promise<Verdict> {
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization.trim(),
      );
    if (!match) return deny('AccessDenied', 'Only AWS Signature V4 (AWS4-HMAC-SHA256) is accepted');
    const [, credential = '', signedList = '', signature = ''] = match;
    const amzDate = header(request.headers, 'x-amz-date') ?? '';
    const date = parseAmzDate(amzDate);
    if (!date) return deny('AccessDenied', 'x-amz-date is missing or malformed');
    if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS)
      return deny(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large',
      );
    const scope = this.checkScope(credential, amzDate);
    if (!scope.ok) return scope;
    const signed = signedList.split(';');
    if (!signed.includes('host')) return deny('AccessDenied', 'The host header must be signed');
    const resigned = await this.signer(scope.region).sign(
      { ...this.baseRequest(request, query), headers: pickHeaders(request.headers, signed) },
      { signingDate: date, signableHeaders: new Set(signed) },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization ?? ''))?.[1];
    return this.compare(expected, signature, false);
  }

  private async verifyPresigned(
    request: SignedRequest,
    query: Map<string, string[]>,
    now: Date,
  ): Promise<Verdict> {
    const one = (name: string) => (query.get(name)?.length === 1 ? query.get(name)?.[0] : undefined);
    if (AUTH_QUERY.some((name) => one(name) === undefined) || one('X-Amz-Algorithm') !== ALGORITHM)
      return deny(
        'AuthorizationQueryParametersError',
        `Presigned URLs need ${AUTH_QUERY.join(', ')} (${ALGORITHM})`,
      );
    const amzDate = one('X-Amz-Date') ?? '';
    const date = parseAmzDate(amzDate);
    const expires = Number(one('X-Amz-Expires'));
    if (!date || !Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS)
      return deny('AuthorizationQueryParametersError', 'X-Amz-Date or X-Amz-Expires is malformed');
    if (date.getTime() - now.getTime() > MAX_SKEW_MS)
      return deny('AccessDenied', 'The presigned URL is dated in the future');
    if (now.getTime() > date.getTime() + expires * 1000) return deny('AccessDenied', 'Request has expired');
    const scope = this.checkScope(one('X-Amz-Credential') ?? '', amzDate);
    if (!scope.ok) return scope;
    const signed = (one('X-Amz-SignedHeaders') ?? '').split(';');
    if (!signed.includes('host')) return deny('AccessDenied', 'The host header must be signed');
    const headers = pickHeaders(request.headers, signed);
    // S3 presigned URLs sign UNSIGNED-PAYLOAD; the SDK's presigner carries it in the query.
    // The signer takes the payload hash from a header, then hoists it back to the same query name.
    const unhoistable = new Set(signed.filter((name) => name.startsWith('x-amz-')));
    const unsignable = new Set<string>();
    const hashInQuery = one('X-Amz-Content-Sha256');
    if (hashInQuery !== undefined) headers['X-Amz-Content-Sha256'] = hashInQuery;
    else {
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      unhoistable.add('x-amz-content-sha256');
      unsignable.add('x-amz-content-sha256');
    }
    const resigned = await this.signer(scope.region).presign(
      { ...this.baseRequest(request, query), headers },
      {
        signingDate: date,
        expiresIn: expires,
        signableHeaders: new Set(signed),
        unhoistableHeaders: unhoistable,
        unsignableHeaders: unsignable,
      },
    );
    const expected = resigned.query?.['X-Amz-Signature'];
    return this.compare(
      typeof expected === 'string' ? expected : undefined,
      one('X-Amz-Signature') ?? '',
      true,
    );
  }

  /** `KEY/yyyymmdd/region/s3/aws4_request`, for our key and the request's own day. */
  private checkScope(
    credential: string,
    amzDate: string,
  ): { ok: true; region: string } | { ok: false; code: S3ErrorCode; message: string } {
    const [key, day, region, service, terminator, ...rest] = credential.split('/');
    if (
      rest.length > 0 ||
      !region ||
      service !== 's3' ||
      terminator !== 'aws4_request' ||
      day !== amzDate.slice(0, 8)
    )
      return deny('AuthorizationQueryParametersError', 'The credential scope is malformed');
    if (key !== this.credentials.accessKeyId)
      return deny('InvalidAccessKeyId', 'The access key id you provided does not exist in our records');
    return { ok: true, region };
  }

  private signer(region: string): SignatureV4 {
    return new SignatureV4({
      credentials: this.credentials,
      region,
      service: 's3',
      sha256: NodeSha256,
      // S3 signs the path as sent (no second encoding) and takes the payload hash from its header.
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  private baseRequest(request: SignedRequest, query: Map<string, string[]>) {
    const path = request.url.split('?')[0] ?? '/';
    const flat: Record<string, string | string[]> = {};
    for (const [name, values] of query) {
      if (name === 'X-Amz-Signature') continue;
      flat[name] = values.length === 1 ? (values[0] ?? '') : values;
    }
    return {
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname: 'localhost',
      path,
      query: flat,
    };
  }

  private compare(expected: string | undefined, provided: string, presigned: boolean): Verdict {
    const a = Buffer.from(expected ?? '');
    const b = Buffer.from(provided);
    if (expected && a.length === b.length && timingSafeEqual(a, b)) return { ok: true, presigned };
    return deny(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    );
  }
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function pickHeaders(headers: SignedRequest['headers'], names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = header(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Query parameters decoded once, as the signer expects them (it encodes them again itself). */
function parseQuery(url: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [name, value] of queryPairs(url)) query.set(name, [...(query.get(name) ?? []), value]);
  return query;
}

/** `20261127T101500Z` → a Date, or null. */
function parseAmzDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
