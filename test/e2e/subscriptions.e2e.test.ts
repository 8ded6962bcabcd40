import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { testKey, uploadAs } from '../support/auth-fixture';

/** `dataChanged` over graphql-ws at /graphql: authenticated like HTTP, scoped, told of every load. */
const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'), 'utf8');
const OTHER = SAMPLE.replace('1200.00', '1300.00');
const DATA_CHANGED = `subscription DataChanged($dataset: String!) {
  dataChanged(dataset: $dataset) { dataset dataVersion uploadId status rows }
}`;

const keys = {
  admin: testKey('admin', ['admin']),
  acme: testKey('acme-reader', ['reader'], ['acme-*']),
};

let gateway: GatewayProcess;
const clients: Client[] = [];

beforeAll(async () => {
  gateway = await startGatewayProcess({
    API_KEYS: Object.values(keys)
      .map((k) => k.line)
      .join(';'),
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await gateway?.stop();
});

function connect(credential: string | undefined, headers: Record<string, string> = {}): Client {
  const client = createClient({
    url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols, { headers });
      }
    },
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

/** A close event (a refused connection) by its code, a socket error or GraphQL errors by message. */
function describe(error: any): unknown {
  if (Array.isArray(error)) return error.map((e: { message: string }) => e.message).join('; ');
  return error instanceof Error ? error.message : (error?.code ?? error?.message ?? String(error));
}

interface Watch {
  events: any[];
  errors: unknown[];
  /** Resolves once `count` events arrived (or rejects after 20 s). */
  until(count: number): Promise<any[]>;
}

/** Subscribes and waits until the server has had time to start listening (graphql-ws has no subscribe ack). */
async function watch(client: Client, query: string, dataset: string): Promise<Watch> {
  const events: any[] = [];
  const errors: unknown[] = [];
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const closed = new Promise<void>((resolve) => client.on('closed', () => resolve()));
  client.subscribe(
    { query, variables: { dataset } },
    {
      next: (value) => events.push(value),
      error: (error) => errors.push(describe(error)),
      complete: () => undefined,
    },
  );
  await Promise.race([connected, closed]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    events,
    errors,
    until: async (count) => {
      const deadline = Date.now() + 20_000;
      while (events.length < count && errors.length === 0) {
        if (Date.now() > deadline) throw new Error(`only ${events.length} event(s) in 20 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return events;
    },
  };
}

test('a subscriber hears its dataset become LOADED with the new data version, and nothing of other datasets', async () => {
  const acme = await watch(connect(keys.acme.key), DATA_CHANGED, 'acme-sales');
  const admin = await watch(connect(keys.admin.key), DATA_CHANGED, 'acme-sales');

  const other = await uploadAs(gateway.url, keys.admin.key, 'beta-sales', OTHER);
  expect(other.body.status).toBe('LOADED');
  const upload = await uploadAs(gateway.url, keys.admin.key, 'acme-sales', SAMPLE);
  expect(upload.body.status).toBe('LOADED');

  for (const subscriber of [acme, admin]) {
    const [event] = await subscriber.until(1);
    expect(subscriber.errors).toEqual([]);
    expect(event.data.dataChanged).toMatchObject({
      dataset: 'acme-sales',
      uploadId: upload.body.id,
      status: 'LOADED',
      rows: upload.body.rowsLoaded,
    });
    expect(event.data.dataChanged.dataVersion).toBeGreaterThan(0);
  }
  // beta-sales loaded first: had its event reached the acme subscribers, it would be the first one.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(acme.events).toHaveLength(1);
  expect(admin.events).toHaveLength(1);
}, 60_000);

test("a scoped caller cannot subscribe to another dataset's changes", async () => {
  const refused = await watch(connect(keys.acme.key), DATA_CHANGED, 'beta-sales');
  await uploadAs(gateway.url, keys.admin.key, 'beta-sales', SAMPLE);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(refused.events.filter((event) => event.data)).toEqual([]);
  const message = JSON.stringify([...refused.errors, ...refused.events]);
  // As over HTTP: a dataset outside the caller's scope is indistinguishable from one that does not exist.
  expect(message).toMatch(/No dataset named beta-sales/);
}, 60_000);

test('a connection without credentials, from another site, or asking a query is refused', async () => {
  const anonymous = await watch(connect(undefined), DATA_CHANGED, 'acme-sales');
  expect(anonymous.errors).toEqual([4403]);

  const foreign = await watch(
    connect(keys.admin.key, { origin: 'https://evil.example' }),
    DATA_CHANGED,
    'acme-sales',
  );
  expect(JSON.stringify(foreign.errors)).toMatch(/403|1006/);

  const query = await watch(connect(keys.admin.key), '{ datasets { name } }', 'acme-sales');
  expect(JSON.stringify(query.errors)).toMatch(/Only subscriptions run over WebSocket/);
}, 60_000);
