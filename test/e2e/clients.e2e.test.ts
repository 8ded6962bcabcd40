import fs from 'node:fs';
import path from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { createApolloClient } from '../../examples/clients/apollo-client';
import { createUrqlClient } from '../../examples/clients/urql-client';
import {
  SalesKpiCardsDocument,
  SalesTopNTableDocument,
  TurnoutKpiCardsDocument,
  type SalesTopNTableQueryVariables,
} from '../../operations/generated/graphql';
import { ROOT, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * The real client libraries, set up exactly as docs/clients.md shows (examples/clients/), against
 * the built gateway in allow-list mode: only the operations in operations/ run, in whatever form
 * each client sends them.
 */
const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'));
const RANGE = { dataset: 'acme-sales', from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' };
const TOP: SalesTopNTableQueryVariables = {
  ...RANGE,
  by: 'BRANCH',
  top: 2,
  orderBy: 'NET_SALES',
  direction: 'DESC',
};

const GET = { method: 'GET', status: 200 };
const POST = { method: 'POST', status: 200 };

let gateway: GatewayProcess;
let graphqlUrl: string;
const requests: Array<{ method: string; status: number }> = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  gateway = await startGatewayProcess({ OPERATIONS_ALLOW_LIST: 'true' });
  graphqlUrl = `${gateway.url}/graphql`;
  expect(await upload(gateway.url, 'acme-sales', SAMPLE)).toMatchObject({ status: 201 });
  for (const [file, dataset, kind] of [
    ['examples/turnout-registry.csv', 'ge-2027-registry', 'constituencies'],
    ['examples/turnout-0800.csv', 'ge-2027', 'turnout'],
  ] as const) {
    const response = await upload(gateway.url, dataset, fs.readFileSync(path.join(ROOT, file)), kind);
    expect(response).toMatchObject({ status: 201 });
  }
  // Both libraries call the global fetch: count what goes over the wire.
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const response = await realFetch(input, init);
    requests.push({ method: init?.method ?? 'GET', status: response.status });
    return response;
  }) as typeof fetch;
}, 180_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  await gateway?.stop();
});

beforeEach(() => {
  requests.length = 0;
});

describe('Apollo Client 4 (examples/clients/apollo-client.ts)', () => {
  test('persisted queries fill the cache; a table over the same range keeps the KPI cards cached, without warnings', async () => {
    const warnings = jest.spyOn(console, 'warn');
    const client = createApolloClient(graphqlUrl);
    const cards = await client.query({ query: SalesKpiCardsDocument, variables: RANGE });
    expect(cards.error).toBeUndefined();
    expect(cards.data?.sales.totals.netSales).toEqual({
      __typename: 'KpiValue',
      value: 12381.45,
      unavailable: null,
    });
    const table = await client.query({ query: SalesTopNTableDocument, variables: TOP });
    expect(table.data?.sales.breakdown.map((group) => group.key)).toEqual(['Mombasa', 'Kisumu']);
    // Hashed queries go as GET (HTTP-cacheable; Apollo's JSON content type passes the CSRF check). The
    // gateway does not know Apollo's hash of its form yet: Apollo sends the text once (POST).
    expect(requests).toEqual([GET, POST, GET, POST]);

    requests.length = 0;
    const again = await client.query({ query: SalesKpiCardsDocument, variables: RANGE });
    expect(again.data?.sales.totals.netSales.value).toBe(12381.45);
    expect(requests).toEqual([]);
    expect(warnings.mock.calls.flat().join('\n')).not.toMatch(/Cache data may be lost/);
    warnings.mockRestore();
  });

  test('a second client sends the hash alone from its first request: the gateway remembered its form', async () => {
    const cards = await createApolloClient(graphqlUrl).query({
      query: SalesKpiCardsDocument,
      variables: RANGE,
    });
    expect(cards.data?.sales.totals.netSales.value).toBe(12381.45);
    expect(requests).toEqual([GET]);
  });

  test('the documented hash (a generated document’s __meta__.hash, sha256: stripped) with the default cache gets every KPI', async () => {
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new PersistedQueryLink({
        generateHash: (document) => (document as { __meta__?: { hash: string } }).__meta__!.hash.slice(7),
      }).concat(new HttpLink({ uri: graphqlUrl })),
    });
    const cards = await client.query({ query: SalesKpiCardsDocument, variables: RANGE });
    expect(cards.data?.sales.totals.netSales.value).toBe(12381.45);
    expect(cards.data?.sales.totals.grossMargin.value).toBeCloseTo(0.3159, 4);
    // One request: the registered text already asks what Apollo's cache needs (__typename).
    expect(requests).toEqual([POST]);
  });

  test('turnout operations are registered and typed like sales', async () => {
    const result = await createApolloClient(graphqlUrl).query({
      query: TurnoutKpiCardsDocument,
      variables: {
        dataset: 'ge-2027',
        electionId: 'ge-2027',
        registry: 'ge-2027-registry',
        from: '2027-05-02T00:00:00Z',
        to: '2027-05-03T00:00:00Z',
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.data?.turnout.totals.votesCast.value).toBe(1234);
  });
});

describe('urql 6 (examples/clients/urql-client.ts)', () => {
  test('default exchanges plus persisted queries: GET by hash with the preflight header gets data', async () => {
    const client = createUrqlClient(graphqlUrl);
    const cards = await client.query(SalesKpiCardsDocument, RANGE).toPromise();
    expect(cards.error).toBeUndefined();
    expect(cards.data?.sales.totals.netSales.value).toBe(12381.45);
    const table = await client.query(SalesTopNTableDocument, TOP).toPromise();
    expect(table.data?.sales.breakdown[0]?.kpis.netSales.value).toBe(6980);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
  });

  test('without the header, urql’s GET is refused as a possible cross-site request (the protection holds)', async () => {
    const client = new Client({ url: graphqlUrl, exchanges: [cacheExchange, fetchExchange] });
    const result = await client.query(SalesKpiCardsDocument, RANGE).toPromise();
    expect(result.data).toBeUndefined();
    expect(result.error?.message).toMatch(/Cross-Site Request Forgery/);
    expect(requests).toEqual([{ method: 'GET', status: 400 }]);
  });
});
