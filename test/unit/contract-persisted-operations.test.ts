import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeaderMap } from '@apollo/server';
import { parse, print } from 'graphql';
import { AppError } from '../../src/errors/app-error';
import { applyHttpCaching } from '../../src/server/http-cache';
import { canonicalForm } from '../../src/server/operation-canonical-form';
import {
  createPersistedOperations,
  OPERATION_NOT_ALLOWED,
  readManifest,
} from '../../src/server/persisted-operations';

const QUERY = 'query Cards { datasets { name } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const OTHER = createHash('sha256').update('{ other }').digest('hex');

function manifestFile(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-manifest-')), 'persisted-documents.json');
  fs.writeFileSync(file, content);
  return file;
}

/** Runs the plugin's didResolveOperation hook the way Apollo does. */
async function resolveOperation(allowListOnly: boolean, queryHash: string, query: string): Promise<void> {
  const { plugin } = createPersistedOperations(new Map([[HASH, QUERY]]), allowListOnly);
  const listener = await plugin.requestDidStart!({} as never);
  await listener?.didResolveOperation?.({ queryHash, document: parse(query), source: query } as never);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A registered operation as codegen's manifest holds it: normalised, one line, with __typename. */
const CARDS =
  'fragment V on KpiValue { __typename unavailable { __typename reason } value } query Cards($d: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { sales(dataset: $d, range: {from: $f, to: $t}) { __typename totals { __typename netSales { ...V } } } }';
/** The same operation as Apollo Client sends it: its printer, its field order, __typename appended. */
const CARDS_AS_APOLLO_SENDS = print(
  parse(`query Cards($t: DateTimeISO!, $d: ID!, $f: DateTimeISO!) {
    sales(range: { to: $t, from: $f }, dataset: $d) { totals { netSales { ...V __typename } __typename } __typename }
  }
  fragment V on KpiValue { value unavailable { reason __typename } __typename }`),
);

describe('persisted operations', () => {
  test('the manifest is read as sha256 → query; anything else is a typed configuration error', () => {
    expect(readManifest(manifestFile(JSON.stringify({ [`sha256:${HASH}`]: QUERY })))).toEqual(
      new Map([[HASH, QUERY]]),
    );
    expect(() =>
      readManifest(manifestFile(JSON.stringify({ [`sha1:${HASH.slice(0, 40)}`]: QUERY }))),
    ).toThrow(AppError);
    expect(() => readManifest(manifestFile('[]'))).toThrow(/not a JSON object/);
    expect(() => readManifest('/nonexistent/persisted-documents.json')).toThrow(/cannot be read/);
  });

  test('open mode: registered operations answer by hash; ad-hoc APQ registrations are kept', async () => {
    const { store } = createPersistedOperations(new Map([[HASH, QUERY]]), false);
    expect(await store.get(`apq:${HASH}`)).toBe(QUERY);
    expect(await store.get(`apq:${OTHER}`)).toBeUndefined();
    await store.set(`apq:${OTHER}`, '{ other }');
    expect(await store.get(`apq:${OTHER}`)).toBe('{ other }');
    await expect(resolveOperation(false, OTHER, '{ datasets { name } }')).resolves.toBeUndefined();
  });

  test('open mode: ad-hoc registrations are bounded, the least recently used go first', async () => {
    const { store } = createPersistedOperations(new Map(), false);
    await store.set('apq:first', 'q1');
    for (let i = 0; i < 2000; i += 1) {
      if (i === 1000) await store.get('apq:first');
      await store.set(`apq:n${i}`, `q${i}`);
    }
    expect(await store.get('apq:first')).toBe('q1');
    expect(await store.get('apq:n0')).toBeUndefined();
    expect(await store.get('apq:n1999')).toBe('q1999');
  });

  test('allow-list mode: nothing new registers, unregistered operations are refused with 403, introspection stays open', async () => {
    const { store } = createPersistedOperations(new Map([[HASH, QUERY]]), true);
    await store.set(`apq:${OTHER}`, '{ other }');
    expect(await store.get(`apq:${OTHER}`)).toBeUndefined();
    await expect(resolveOperation(true, HASH, QUERY)).resolves.toBeUndefined();
    await expect(resolveOperation(true, OTHER, '{ datasets { name } }')).rejects.toMatchObject({
      extensions: { code: OPERATION_NOT_ALLOWED, http: { status: 403 } },
    });
    await expect(
      resolveOperation(true, OTHER, '{ __schema { queryType { name } } }'),
    ).resolves.toBeUndefined();
    await expect(resolveOperation(true, OTHER, '{ __typename datasets { name } }')).rejects.toMatchObject({
      extensions: { code: OPERATION_NOT_ALLOWED },
    });
  });
});

describe('clients’ forms of registered operations', () => {
  test('field order, argument order, printing and __typename do not change the canonical form; anything else does', () => {
    const form = canonicalForm(parse(CARDS));
    expect(canonicalForm(parse(CARDS_AS_APOLLO_SENDS))).toBe(form);
    expect(canonicalForm(parse(CARDS.replace(/__typename /g, '')))).toBe(form);
    for (const other of [
      CARDS.replace('netSales', 'totalRevenue'),
      CARDS.replace('reason }', 'reason message }'),
      CARDS.replace('totals {', 'totals(compare: PREVIOUS_YEAR) {'),
      CARDS.replace('__typename totals', 'kind: __typename totals'),
      CARDS.replace('{ ...V }', '{ ...V @include(if: true) }'),
      CARDS.replace('query Cards', 'query Other'),
    ])
      expect(canonicalForm(parse(other))).not.toBe(form);
  });

  test('allow-list mode: a client’s form of a registered operation runs and is remembered under its own hash', async () => {
    const { store, plugin } = createPersistedOperations(new Map([[sha256(CARDS), CARDS]]), true);
    const listener = await plugin.requestDidStart!({} as never);
    const clientHash = sha256(CARDS_AS_APOLLO_SENDS);
    expect(await store.get(`apq:${clientHash}`)).toBeUndefined();
    await listener?.didResolveOperation?.({
      queryHash: clientHash,
      document: parse(CARDS_AS_APOLLO_SENDS),
      source: CARDS_AS_APOLLO_SENDS,
    } as never);
    // Later requests by that hash alone find the client's own text.
    expect(await store.get(`apq:${clientHash}`)).toBe(CARDS_AS_APOLLO_SENDS);

    const widened = CARDS_AS_APOLLO_SENDS.replace('reason', 'reason message');
    await expect(
      listener?.didResolveOperation?.({
        queryHash: sha256(widened),
        document: parse(widened),
        source: widened,
      } as never),
    ).rejects.toMatchObject({ extensions: { code: OPERATION_NOT_ALLOWED } });
    await store.set(`apq:${sha256(widened)}`, widened);
    expect(await store.get(`apq:${sha256(widened)}`)).toBeUndefined();
  });
});

describe('HTTP caching of GET query responses', () => {
  const OK = JSON.stringify({ data: { datasets: [] } });

  function decide(
    method: string,
    body: string,
    requestHeaders: Record<string, string> = {},
    status = 200,
    maxAge = 0,
  ) {
    const responseHeaders = new HeaderMap([['cache-control', 'no-store']]);
    const decision = applyHttpCaching(
      { method, headers: new HeaderMap(Object.entries(requestHeaders)) },
      { status, headers: responseHeaders, body },
      maxAge,
    );
    return { ...decision, headers: Object.fromEntries(responseHeaders) };
  }

  test('a successful GET is cacheable and revalidated by ETag; a matching If-None-Match answers 304', () => {
    const first = decide('GET', OK);
    expect(first.headers).toMatchObject({
      'cache-control': 'public, max-age=0, must-revalidate',
      etag: expect.stringMatching(/^"[\w-]{32}"$/),
      vary: 'accept, authorization, x-api-key',
    });
    expect(first.notModified).toBe(false);
    const etag = first.headers.etag ?? 'no etag';
    expect(decide('GET', OK, { 'if-none-match': etag }).notModified).toBe(true);
    expect(decide('GET', OK, { 'if-none-match': `W/${etag}, "x"` }).notModified).toBe(true);
    expect(
      decide('GET', JSON.stringify({ data: { datasets: [1] } }), { 'if-none-match': etag }).notModified,
    ).toBe(false);
  });

  test('with credentials the response is private; the configured max-age is used', () => {
    expect(decide('GET', OK, { authorization: 'Bearer t' }, 200, 30).headers['cache-control']).toBe(
      'private, max-age=30, must-revalidate',
    );
  });

  test.each([
    ['POST', OK, 200],
    ['GET', JSON.stringify({ errors: [{ message: 'x' }] }), 200],
    ['GET', JSON.stringify({ data: { a: 1 }, errors: [{ message: 'partial' }] }), 200],
    ['GET', JSON.stringify({ errors: [{ message: 'x' }] }), 400],
  ])('%s with %s (status %d) keeps no-store', (method, body, status) => {
    const result = decide(method, body, {}, status);
    expect(result).toEqual({ notModified: false, headers: { 'cache-control': 'no-store' } });
  });
});
