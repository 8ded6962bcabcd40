import WebSocket from 'ws';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { testKey } from '../support/auth-fixture';

/**
 * The WebSocket side the dashboard depends on, hardened: bounded connections (over all callers and
 * per caller), refused with close code 1013 and a reason; and errors with the codes HTTP gives.
 */
const keys = {
  alice: testKey('alice', ['reader']),
  bob: testKey('bob', ['reader']),
  scoped: testKey('scoped', ['reader'], ['acme-*']),
};

let gateway: GatewayProcess;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  gateway = await startGatewayProcess({
    API_KEYS: Object.values(keys)
      .map((k) => k.line)
      .join(';'),
    WS_MAX_CONNECTIONS: '3',
    WS_CALLER_MAX_CONNECTIONS: '2',
  });
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await gateway?.stop();
});

interface Session {
  socket: WebSocket;
  /** `ack`, or the close code and reason the server answered the connection with. */
  outcome: Promise<{ ack: true } | { code: number; reason: string }>;
  messages: any[];
}

/** A raw graphql-transport-ws connection: what any client library does first. */
function open(key: string): Session {
  const socket = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  sockets.push(socket);
  const messages: any[] = [];
  const outcome = new Promise<{ ack: true } | { code: number; reason: string }>((resolve) => {
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })),
    );
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      if (message.type === 'connection_ack') resolve({ ack: true });
    });
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { socket, outcome, messages };
}

async function closeAll(): Promise<void> {
  await Promise.all(
    sockets.splice(0).map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );
  // The server counts a socket down when its close handshake ends.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Subscribes with `query` and resolves with the first error (or next) message for it. */
async function firstAnswer(session: Session, query: string, variables: object): Promise<any> {
  session.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = session.messages.find((m) => m.id === '1' && (m.type === 'error' || m.type === 'next'));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no answer: ${JSON.stringify(session.messages)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a caller past its connection bound, then the gateway past its own, is closed with 1013 and a reason', async () => {
  const a1 = open(keys.alice.key);
  const a2 = open(keys.alice.key);
  expect(await a1.outcome).toEqual({ ack: true });
  expect(await a2.outcome).toEqual({ ack: true });
  const a3 = open(keys.alice.key);
  expect(await a3.outcome).toEqual({
    code: 1013,
    reason: 'This caller holds its limit of 2 WebSocket connections; close one first',
  });
  // Another caller still gets in, up to the gateway's bound of 3.
  const b1 = open(keys.bob.key);
  expect(await b1.outcome).toEqual({ ack: true });
  const b2 = open(keys.bob.key);
  expect(await b2.outcome).toEqual({
    code: 1013,
    reason: 'The gateway holds its limit of 3 WebSocket connections; try again later',
  });
  // A closed connection frees its place.
  a1.socket.close();
  await new Promise((resolve) => a1.socket.once('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await open(keys.bob.key).outcome).toEqual({ ack: true });
  await closeAll();
}, 60_000);

test('errors over the WebSocket carry the codes HTTP gives, and the request id', async () => {
  const cases: Array<[string, object, string, RegExp]> = [
    ['subscription { nope }', {}, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "nope"/],
    ['subscription {', {}, 'GRAPHQL_PARSE_FAILED', /Syntax Error/],
    ['{ datasets { name } }', {}, 'BAD_REQUEST', /Only subscriptions run over WebSocket/],
    [
      'subscription S($d: String!) { dataChanged(dataset: $d) { dataVersion } }',
      {},
      'BAD_USER_INPUT',
      /Variable "\$d"/,
    ],
    [
      'subscription S($d: String!) { dataChanged(dataset: $d) { dataVersion } }',
      { d: 'beta-sales' },
      'DATASET_NOT_FOUND',
      /No dataset named beta-sales/,
    ],
  ];
  for (const [query, variables, code, message] of cases) {
    const session = open(keys.scoped.key);
    expect(await session.outcome).toEqual({ ack: true });
    const answer = await firstAnswer(session, query, variables);
    const errors = answer.type === 'error' ? answer.payload : answer.payload.errors;
    expect({ query, code: errors[0].extensions.code }).toEqual({ query, code });
    expect(errors[0].message).toMatch(message);
    expect(errors[0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await closeAll();
  }
}, 60_000);
