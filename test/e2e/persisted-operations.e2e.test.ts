import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  DatasetListDocument,
  SalesKpiCardsDocument,
  type SalesKpiCardsQueryVariables,
} from '../../operations/generated/graphql';
import { ROOT, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'));
const CARDS_VARIABLES: SalesKpiCardsQueryVariables = {
  dataset: 'acme-sales',
  from: '2025-01-01T00:00:00Z',
  to: '2025-03-01T00:00:00Z',
};
// Apollo's CSRF prevention wants a header a cross-site form cannot send; dashboards send this one.
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

let open: GatewayProcess;
let allowList: GatewayProcess;

beforeAll(async () => {
  [open, allowList] = await Promise.all([
    startGatewayProcess(),
    startGatewayProcess({ OPERATIONS_ALLOW_LIST: 'true' }),
  ]);
  expect(await upload(open.url, 'acme-sales', SAMPLE)).toMatchObject({ status: 201 });
}, 180_000);

afterAll(async () => {
  await Promise.all([open?.stop(), allowList?.stop()]);
});

/** How a client uses a generated TypedDocumentNode: result and variables are typed by the document. */
async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<{ data?: TResult; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as { data?: TResult };
}

function hashOf(document: unknown): string {
  return (document as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, '');
}

function getUrl(url: string, params: { hash: string; variables?: unknown; query?: string }): string {
  const search = new URLSearchParams({
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: params.hash } }),
  });
  if (params.variables) search.set('variables', JSON.stringify(params.variables));
  if (params.query) search.set('query', params.query);
  return `${url}/graphql?${search}`;
}

describe('typed documents and persisted operations (open mode)', () => {
  test('a generated TypedDocumentNode runs and its result has the generated shape', async () => {
    const result = await execute(open.url, SalesKpiCardsDocument, CARDS_VARIABLES);
    expect(result.errors).toBeUndefined();
    const netSales: number | null | undefined = result.data?.sales.totals.netSales.value;
    expect(netSales).toBe(12381.45);
  });

  test('a registered operation answers GET by hash alone, cacheable and revalidated with its ETag (304)', async () => {
    const url = getUrl(open.url, { hash: hashOf(SalesKpiCardsDocument), variables: CARDS_VARIABLES });
    const first = await fetch(url, { headers: PREFLIGHT });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(((await first.json()) as any).data.sales.totals.netSales.value).toBe(12381.45);

    const again = await fetch(url, { headers: { ...PREFLIGHT, 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    const withCredentials = await fetch(url, { headers: { ...PREFLIGHT, authorization: 'Bearer someone' } });
    expect(withCredentials.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
  });

  test('a finished upload changes the ETag: a revalidating cache never serves the old answer', async () => {
    const url = getUrl(open.url, { hash: hashOf(DatasetListDocument), variables: { kind: 'SALES' } });
    const before = await fetch(url, { headers: PREFLIGHT });
    const etag = before.headers.get('etag')!;
    expect(await upload(open.url, 'acme-sales-2', SAMPLE)).toMatchObject({ status: 201 });
    const after = await fetch(url, { headers: { ...PREFLIGHT, 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as any).data.datasets.map((d: { name: string }) => d.name)).toEqual([
      'acme-sales',
      'acme-sales-2',
    ]);
  });

  test('automatic persisted queries: unknown hash → PERSISTED_QUERY_NOT_FOUND; registered once, then GET by hash', async () => {
    const query = `query AdHocRevenue { sales(dataset: "acme-sales", range: { from: "2025-01-01T00:00:00Z", to: "2025-03-01T00:00:00Z" }) { totals { totalRevenue { value } } } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const missing = (await (await fetch(getUrl(open.url, { hash }), { headers: PREFLIGHT })).json()) as any;
    expect(missing.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const register = await fetch(`${open.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    expect(register.status).toBe(200);
    // POST answers are never stored by HTTP caches.
    expect(register.headers.get('cache-control')).toBe('no-store');

    const byHash = await fetch(getUrl(open.url, { hash }), { headers: PREFLIGHT });
    expect(((await byHash.json()) as any).data.sales.totals.totalRevenue.value).toBe(18251.5);
    expect(byHash.headers.get('cache-control')).toMatch(/^public/);
  });

  test('a GET answer with errors is never cacheable', async () => {
    const response = await fetch(
      `${open.url}/graphql?query=${encodeURIComponent('query Bad { sales(dataset: "nope", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { totals { netSales { value } } } }')}`,
      { headers: PREFLIGHT },
    );
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('DATASET_NOT_FOUND');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('allow-list mode (OPERATIONS_ALLOW_LIST=true)', () => {
  const adHoc = 'query AdHoc { datasets { name } }';

  test('registered operations run, by hash over GET and by their registered text over POST', async () => {
    const byHash = await fetch(getUrl(allowList.url, { hash: hashOf(DatasetListDocument), variables: {} }), {
      headers: PREFLIGHT,
    });
    expect(byHash.status).toBe(200);
    expect(await byHash.json()).toEqual({ data: { datasets: [] } });
    const manifest = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'operations/generated/persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    const text = manifest[`sha256:${hashOf(DatasetListDocument)}`];
    const byText = await fetch(`${allowList.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
    expect(await byText.json()).toEqual({ data: { datasets: [] } });
  });

  test('any other operation is refused with 403 OPERATION_NOT_ALLOWED, and cannot be registered through APQ', async () => {
    const refused = await fetch(`${allowList.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: adHoc }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('OPERATION_NOT_ALLOWED');

    const hash = createHash('sha256').update(adHoc).digest('hex');
    const register = await fetch(`${allowList.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: adHoc,
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      }),
    });
    expect(register.status).toBe(403);
    const byHash = (await (
      await fetch(getUrl(allowList.url, { hash }), { headers: PREFLIGHT })
    ).json()) as any;
    expect(byHash.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  test('schema introspection stays available (the playground docs, codegen against a URL)', async () => {
    const response = await fetch(`${allowList.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
