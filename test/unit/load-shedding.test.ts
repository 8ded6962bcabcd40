import Keyv from 'keyv';
import { ByteBoundedStore } from '../../src/cache/byte-bounded-store';
import { KpiCache } from '../../src/cache/kpi-cache';
import { createKpiCache } from '../../src/cache/create-cache';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';
import { DEFAULT_LIMITS } from '../../src/config/limits-config';
import { AdmissionGate } from '../../src/server/load-shedding';
import { SessionQueue } from '../../src/warehouse/session-queue';

const load = (overrides: Partial<typeof DEFAULT_LIMITS.load>) => ({ ...DEFAULT_LIMITS.load, ...overrides });

describe('the admission gate in front of GraphQL execution', () => {
  test('runs up to the bound, queues up to the bound, refuses the rest at once with OVERLOADED', async () => {
    const gate = new AdmissionGate(
      load({ maxConcurrent: 2, queueMax: 1, callerQueueMax: 5, queueWaitMs: 5_000 }),
    );
    const first = await gate.admit('a');
    await gate.admit('b');
    const queued = gate.admit('c');
    await expect(gate.admit('d')).rejects.toMatchObject({
      code: 'OVERLOADED',
      details: { limit: 1, retryAfterSeconds: 5 },
    });
    expect(gate.load).toEqual({ running: 2, waiting: 1, refused: 1 });
    first();
    first(); // releasing twice frees one turn only
    await queued;
    expect(gate.load).toEqual({ running: 2, waiting: 0, refused: 1 });
  });

  test('one caller cannot take every turn nor fill the queue; a freed turn goes to another caller', async () => {
    const gate = new AdmissionGate(
      load({ maxConcurrent: 2, queueMax: 10, callerMaxConcurrent: 1, callerQueueMax: 2, queueWaitMs: 5_000 }),
    );
    const a1 = await gate.admit('a');
    const a2 = gate.admit('a');
    void gate.admit('a');
    await expect(gate.admit('a')).rejects.toMatchObject({ code: 'OVERLOADED' });
    // 'a' holds one turn and waits for more; 'b' still gets the free turn.
    const b1 = await gate.admit('b');
    const b2 = gate.admit('b');
    b1();
    // The turn b1 freed goes to b (a is at its share), not to a's older waiter.
    await b2;
    a1();
    (await a2)();
  });

  test('a waiter that gets no turn in time is refused', async () => {
    const gate = new AdmissionGate(load({ maxConcurrent: 1, queueMax: 5, queueWaitMs: 50 }));
    await gate.admit('a');
    const started = Date.now();
    await expect(gate.admit('b')).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(gate.load.waiting).toBe(0);
  });
});

test('a request whose expected wait is past the bound is refused at once, not after waiting', async () => {
  const gate = new AdmissionGate(load({ maxConcurrent: 1, queueMax: 10, queueWaitMs: 100 }));
  const first = await gate.admit('a');
  await new Promise((resolve) => setTimeout(resolve, 150));
  first(); // operations now take ~150 ms
  await gate.admit('a');
  const started = Date.now();
  await expect(gate.admit('b')).rejects.toMatchObject({
    code: 'OVERLOADED',
    message: expect.stringContaining('expected wait'),
  });
  expect(Date.now() - started).toBeLessThan(50);
});

describe('the warehouse session queue', () => {
  test('one statement per chDB session, a bounded FIFO queue, OVERLOADED past it', async () => {
    const sessions = new SessionQueue(2, 1, 1);
    const a = await sessions.acquire();
    const b = await sessions.acquire();
    expect(new Set([a, b])).toEqual(new Set([0, 1]));
    const waiting = sessions.acquire();
    await expect(sessions.acquire()).rejects.toMatchObject({ code: 'OVERLOADED' });
    sessions.release(b);
    expect(await waiting).toBe(b);
    expect(sessions.waiting).toBe(0);
  });
});

describe('the in-memory KPI cache is bounded in bytes', () => {
  test('least recently used answers go first once the bound is passed', async () => {
    const store = new ByteBoundedStore(64 * 1024);
    const cache = new KpiCache(new Keyv({ store, namespace: 'kpi' }), 60, createLogger('silent'));
    const answer = (i: number) => ({ rows: [{ key: `k${i}`, value: 'x'.repeat(4_000) }] });
    const part = (i: number) => ({ query: `q${i}`, params: {}, catalogVersion: 'r', dataVersion: 1 });
    for (let i = 0; i < 100; i += 1) await cache.getOrCompute(part(i), async () => answer(i));
    expect(store.calculatedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(store.size).toBeGreaterThan(3);
    expect(store.size).toBeLessThan(100);
    expect((await cache.getOrCompute(part(99), async () => answer(-1))).hit).toBe(true);
    expect((await cache.getOrCompute(part(0), async () => answer(0))).hit).toBe(false);
  });

  test('a bound of 0 bytes turns the in-memory KPI cache off instead of failing at start', async () => {
    const logger = createLogger('silent');
    const cache = createKpiCache({ ...loadConfig({}).cache, redisUrl: undefined }, logger, 0);
    const part = { query: 'q', params: {}, catalogVersion: 'r', dataVersion: 1 };
    expect((await cache.getOrCompute(part, async () => ({ n: 1 }))).hit).toBe(false);
    expect((await cache.getOrCompute(part, async () => ({ n: 2 }))).hit).toBe(false);
    const store = new ByteBoundedStore(0);
    store.set('k', 'v');
    expect(store.size).toBe(0);
  });
});
