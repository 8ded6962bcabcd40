import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { gql, testKey, uploadAs } from '../support/auth-fixture';

/** Roles and dataset scopes over HTTP: reads, the upload ledger, uploads, and every cache in between. */
const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'), 'utf8');
const OTHER = SAMPLE.replace('1200.00', '1300.00');
const RANGE = '{ from: "2025-01-01T00:00:00Z", to: "2025-03-01T00:00:00Z" }';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

const keys = {
  admin: testKey('admin', ['admin']),
  acme: testKey('acme-reader', ['reader'], ['acme-*']),
  acmeTwin: testKey('acme-reader-2', ['reader'], ['acme-*']),
  beta: testKey('beta-reader', ['reader'], ['beta-sales']),
  all: testKey('all-reader', ['reader']),
  acmeUploader: testKey('acme-uploader', ['uploader'], ['acme-*']),
  acmeBoth: testKey('acme-both', ['reader', 'uploader'], ['acme-*']),
};
const uploadIds: Record<string, string> = {};

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    API_KEYS: Object.values(keys)
      .map((k) => k.line)
      .join(';'),
  });
  // Newest last: the ledger lists beta-more, acme-more, beta-sales, acme-sales.
  for (const [dataset, csv] of [
    ['acme-sales', SAMPLE],
    ['beta-sales', OTHER],
    ['acme-more', OTHER],
    ['beta-more', SAMPLE],
  ] as const) {
    const answer = await uploadAs(gateway.url, keys.admin.key, dataset, csv);
    expect(answer.status).toBe(201);
    uploadIds[dataset] = answer.body.id;
  }
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

const salesTotals = (dataset: string) =>
  `query Totals { sales(dataset: "${dataset}", range: ${RANGE}) { totals { netSales { value } } } }`;
const errorOf = (answer: { body: any }) => answer.body.errors?.[0];
/** An error with the asked name replaced: what is left must not depend on whether the dataset exists. */
const shapeOf = (error: any, name: string) => JSON.parse(JSON.stringify(error).replaceAll(name, '<name>'));

describe('roles', () => {
  test('reader: queries only, no uploads and no ledger', async () => {
    expect((await gql(gateway.url, keys.acme.key, salesTotals('acme-sales'))).body.data).toBeTruthy();
    const create = await gql(
      gateway.url,
      keys.acme.key,
      'mutation { createUpload(dataset: "acme-x", kind: SALES) { url } }',
    );
    expect(errorOf(create).extensions.code).toBe('FORBIDDEN');
    expect(
      errorOf(await gql(gateway.url, keys.acme.key, '{ uploads { nodes { id } } }')).extensions.code,
    ).toBe('FORBIDDEN');
    const post = await uploadAs(gateway.url, keys.acme.key, 'acme-x', SAMPLE);
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('FORBIDDEN');
  });

  test('uploader: uploads and their status, no queries, no REPLACE mode, no retries', async () => {
    const answer = await gql(gateway.url, keys.acmeUploader.key, salesTotals('acme-sales'));
    expect(errorOf(answer).extensions.code).toBe('FORBIDDEN');
    expect(answer.body.data).toBeNull();
    const loaded = await uploadAs(gateway.url, keys.acmeUploader.key, 'acme-uploaded', SAMPLE);
    expect(loaded.status).toBe(201);
    const status = await gql(
      gateway.url,
      keys.acmeUploader.key,
      `{ upload(id: "${loaded.body.id}") { status } }`,
    );
    expect(status.body.data.upload.status).toBe('LOADED');

    const replace = await uploadAs(gateway.url, keys.acmeUploader.key, 'acme-uploaded', OTHER, {
      query: `&replaces=${loaded.body.id}`,
    });
    expect(replace.status).toBe(403);
    const slot = await gql(
      gateway.url,
      keys.acmeUploader.key,
      `mutation { createUpload(dataset: "acme-uploaded", replaces: "${loaded.body.id}") { url } }`,
    );
    expect(errorOf(slot).extensions.code).toBe('FORBIDDEN');
    const retry = await gql(
      gateway.url,
      keys.acmeUploader.key,
      `mutation { retryUpload(id: "${loaded.body.id}") { status } }`,
    );
    expect(errorOf(retry).extensions.code).toBe('FORBIDDEN');
  });

  test('admin: retries and REPLACE mode pass the role check', async () => {
    const retry = await gql(
      gateway.url,
      keys.admin.key,
      `mutation { retryUpload(id: "${uploadIds['acme-sales']}") { status } }`,
    );
    // Refused by the upload's state (it is LOADED), not by the role.
    expect(errorOf(retry).extensions.code).toBe('UPLOAD_STATE');
  });
});

test('the CLI uploads with the key from KPI_GATEWAY_API_KEY; without one it is refused before sending the file', () => {
  const file = path.join(ROOT, 'examples/sales.csv');
  const cli = (env: Record<string, string>, dataset: string) =>
    spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist/src/cli/kpi-gateway.js'),
        'ingest',
        file,
        '--dataset',
        dataset,
        '--kind',
        'sales',
        '--url',
        gateway.url,
      ],
      { encoding: 'utf8', env: { ...process.env, KPI_GATEWAY_API_KEY: '', ...env } },
    );
  const loaded = cli({ KPI_GATEWAY_API_KEY: keys.acmeUploader.key }, 'acme-cli');
  expect(loaded.status).toBe(0);
  expect(loaded.stdout).toMatch(/LOADED/);
  const anonymous = cli({}, 'acme-cli-2');
  expect(anonymous.status).toBe(1);
  expect(anonymous.stdout).toMatch(/HTTP 401\): UNAUTHENTICATED/);
  const outOfScope = cli({ KPI_GATEWAY_API_KEY: keys.acmeUploader.key }, 'beta-cli');
  expect(outOfScope.stdout).toMatch(/HTTP 403\): FORBIDDEN/);
});

describe('dataset scopes', () => {
  test('the dataset list shows only datasets in scope', async () => {
    const names = async (key: string) =>
      (
        (await gql(gateway.url, key, '{ datasets { name } }')).body.data.datasets as Array<{ name: string }>
      ).map((d) => d.name);
    expect(await names(keys.acme.key)).toEqual(expect.arrayContaining(['acme-sales', 'acme-more']));
    expect((await names(keys.acme.key)).filter((n) => !n.startsWith('acme-'))).toEqual([]);
    expect(await names(keys.beta.key)).toEqual(['beta-sales']);
    expect(await names(keys.all.key)).toEqual(
      expect.arrayContaining(['acme-sales', 'beta-sales', 'beta-more']),
    );
  });

  test('an out-of-scope dataset answers exactly like an unknown one (sales, turnout, kpiCatalog)', async () => {
    const queries = [
      salesTotals,
      (d: string) =>
        `{ turnout(dataset: "${d}", electionId: "e", range: ${RANGE}) { totals { votesCast { value } } } }`,
      (d: string) => `{ kpiCatalog(dataset: "${d}") { id } }`,
    ];
    for (const query of queries) {
      const hidden = await gql(gateway.url, keys.acme.key, query('beta-sales'));
      const unknown = await gql(gateway.url, keys.acme.key, query('beta-nope'));
      expect(hidden.status).toBe(unknown.status);
      expect(errorOf(hidden).extensions.code).toBe('DATASET_NOT_FOUND');
      expect(shapeOf(hidden.body, 'beta-sales')).toEqual(shapeOf(unknown.body, 'beta-nope'));
    }
    // For a caller who can see it, the same turnout question tells the dataset holds sales rows.
    const visible = await gql(
      gateway.url,
      keys.all.key,
      `{ turnout(dataset: "beta-sales", electionId: "e", range: ${RANGE}) { totals { votesCast { value } } } }`,
    );
    expect(errorOf(visible).extensions.code).toBe('DATASET_KIND_MISMATCH');
  });

  test('the upload ledger: other datasets’ uploads leave no trace, in lists, pages or by id', async () => {
    const page = async (after?: string) =>
      (
        await gql(
          gateway.url,
          keys.acmeBoth.key,
          'query($after: String) { uploads(first: 1, after: $after) { nodes { id dataset } pageInfo { hasNextPage endCursor } } }',
          { after },
        )
      ).body.data.uploads;
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const current = await page(cursor);
      expect(current.nodes).toHaveLength(1);
      seen.push(current.nodes[0].dataset);
      if (!current.pageInfo.hasNextPage) break;
      cursor = current.pageInfo.endCursor;
    }
    expect(seen.every((name) => name.startsWith('acme-'))).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['acme-more', 'acme-sales']));

    const filtered = await gql(
      gateway.url,
      keys.acmeBoth.key,
      '{ uploads(dataset: "beta-sales") { nodes { id } pageInfo { hasNextPage } } }',
    );
    expect(filtered.body.data.uploads).toEqual({ nodes: [], pageInfo: { hasNextPage: false } });

    const byId = await gql(
      gateway.url,
      keys.acmeBoth.key,
      `{ upload(id: "${uploadIds['beta-sales']}") { id } }`,
    );
    expect(byId.body).toEqual({ data: { upload: null } });

    const hiddenStart = await gql(
      gateway.url,
      keys.acmeBoth.key,
      `mutation { startUpload(id: "${uploadIds['beta-sales']}") { id } }`,
    );
    const unknownStart = await gql(
      gateway.url,
      keys.acmeBoth.key,
      'mutation { startUpload(id: "no-such-upload") { id } }',
    );
    expect(errorOf(hiddenStart).extensions.code).toBe('NOT_FOUND');
    expect(shapeOf(hiddenStart.body, uploadIds['beta-sales']!)).toEqual(
      shapeOf(unknownStart.body, 'no-such-upload'),
    );
  });

  test('uploads into an out-of-scope dataset are refused, over HTTP and presigned', async () => {
    const post = await uploadAs(gateway.url, keys.acmeBoth.key, 'beta-sales', SAMPLE);
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('FORBIDDEN');
    const slot = await gql(
      gateway.url,
      keys.acmeBoth.key,
      'mutation { createUpload(dataset: "beta-new", kind: SALES) { url } }',
    );
    expect(errorOf(slot).extensions.code).toBe('FORBIDDEN');
    const ledger = await gql(
      gateway.url,
      keys.admin.key,
      '{ uploads(dataset: "beta-new") { nodes { id } } }',
    );
    expect(ledger.body.data.uploads.nodes).toEqual([]);
  });
});

describe('no cached answer crosses a scope', () => {
  test('the response cache: a scoped caller warms it, a differently scoped caller gets only its own answer', async () => {
    const query = salesTotals('acme-sales');
    const warm = await gql(gateway.url, keys.acme.key, query);
    expect(warm.body.data.sales.totals.netSales.value).toBe(12381.45);
    const hit = await gql(gateway.url, keys.acme.key, query);
    expect(hit.body.extensions.kpi.cache.response).toBe('HIT');

    const other = await gql(gateway.url, keys.beta.key, query);
    expect(other.body.data).toBeNull();
    expect(errorOf(other).extensions.code).toBe('DATASET_NOT_FOUND');
    // Same access (roles and scopes), another key: the stored answer is shared.
    expect((await gql(gateway.url, keys.acmeTwin.key, query)).body.extensions.kpi.cache.response).toBe('HIT');
    // An unscoped reader sees the same numbers, computed for its own access.
    const unscoped = await gql(gateway.url, keys.all.key, query);
    expect(unscoped.body.data).toEqual(warm.body.data);
    expect(unscoped.body.extensions.kpi.cache.response).not.toBe('HIT');
  });

  test('HTTP caching: private answers, and an ETag validates only for the caller it was issued to', async () => {
    const url = `${gateway.url}/graphql?query=${encodeURIComponent(salesTotals('acme-sales'))}`;
    const get = (key: string, etag?: string) =>
      fetch(url, {
        headers: { ...PREFLIGHT, authorization: `Bearer ${key}`, ...(etag ? { 'if-none-match': etag } : {}) },
      });
    const first = await get(keys.acme.key);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    expect(first.headers.get('vary')).toContain('authorization');
    const etag = first.headers.get('etag')!;
    expect((await get(keys.acme.key, etag)).status).toBe(304);
    // Another key with the same access, or an unscoped reader over the same data: their own tags, full answers.
    const twin = await get(keys.acmeTwin.key, etag);
    expect(twin.status).toBe(200);
    expect(twin.headers.get('etag')).not.toBe(etag);
    const unscoped = await get(keys.all.key, etag);
    expect(unscoped.status).toBe(200);
    expect(unscoped.headers.get('etag')).not.toBe(etag);
    const other = await get(keys.beta.key, etag);
    expect(other.status).toBe(200);
    expect(((await other.json()) as any).errors[0].extensions.code).toBe('DATASET_NOT_FOUND');
  });

  test('persisted operations: one access’s registrations cannot be run, or probed, by another', async () => {
    const query = `query Probe { sales(dataset: "acme-sales", range: ${RANGE}) { totals { totalRevenue { value } } } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    const byHash = (key: string) =>
      fetch(`${gateway.url}/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
        headers: { ...PREFLIGHT, authorization: `Bearer ${key}` },
      }).then(async (r) => (await r.json()) as any);

    const register = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.acme.key}` },
      body: JSON.stringify({ query, extensions }),
    });
    expect(((await register.json()) as any).data.sales.totals.totalRevenue.value).toBe(18251.5);
    expect((await byHash(keys.acme.key)).data.sales.totals.totalRevenue.value).toBe(18251.5);
    expect((await byHash(keys.acmeTwin.key)).data.sales.totals.totalRevenue.value).toBe(18251.5);
    for (const key of [keys.beta.key, keys.all.key]) {
      const probe = await byHash(key);
      expect(probe.data).toBeUndefined();
      expect(probe.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });
});
