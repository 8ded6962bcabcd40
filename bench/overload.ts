import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS } from '../src/config/limits-config';
import { datasetOf, DATA_FROM, ensureLoadedDataDir, SALES_1M } from './lib/data';
import { rssBytes, spawnGateway } from './lib/gateway';
import { ROOT } from './lib/paths';
import { SUM_KPIS } from './lib/queries';
import { fmtMb, fmtMs, median, percentile, runScenario } from './lib/stats';

/**
 * Overload (issue 13, item 7). Uncached capacity is measured first (closed loop, every request a
 * different range so no cache can answer); then requests are offered at twice that rate, open
 * loop, for 30 s; then the load stops and a single probe measures how long the gateway takes to
 * answer as fast as before (counted from the moment the load stops, so it includes the drain). Four callers (127.0.0.1–4, so the gateway counts four callers) share
 * the load. Bounded in count and time, loopback only, and stops by itself.
 */
const CALLERS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
const CAPACITY_MS = 10_000;
const CAPACITY_CONNECTIONS = 8;
const OVERLOAD_MS = 30_000;
const DRAIN_CAP_MS = 30_000;
const RECOVERY_CAP_MS = 30_000;
const MAX_REQUESTS = 50_000;

interface Outcome {
  readonly status: number;
  readonly ms: number;
  readonly code?: string;
}

const agents = new Map(
  CALLERS.map((address) => [
    address,
    new http.Agent({ keepAlive: true, maxSockets: 256, localAddress: address }),
  ]),
);

let sequence = 0;
/**
 * A 30-day sums operation, as a dashboard card asks it, over whole hours (the rollups answer
 * it); the gateway runs with its caches off, so every request reaches ClickHouse.
 */
function uncachedBody(dataset: string): string {
  sequence += 1;
  const from = new Date(DATA_FROM.getTime() + (sequence % 1_400) * 3_600_000);
  const to = new Date(from.getTime() + 30 * 86_400_000);
  return JSON.stringify({
    query: `query($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { sales(dataset: $dataset, range: { from: $from, to: $to }) { totals { ${SUM_KPIS.map((k) => `${k} { value }`).join(' ')} } } }`,
    variables: { dataset, from: from.toISOString(), to: to.toISOString() },
  });
}

function send(url: string, body: string, caller: string): Promise<Outcome> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1')
    throw new Error(`Benchmarks only load 127.0.0.1, not ${target.hostname}`);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent: agents.get(caller),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            const parsed = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
            code = parsed.errors?.[0]?.extensions?.code;
          } catch {
            code = 'UNPARSEABLE';
          }
          resolve({ status: res.statusCode ?? 0, ms, code });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, code: 'SOCKET' }));
    req.end(body);
  });
}

const ok = (o: Outcome) => o.status === 200 && o.code === undefined;

runScenario('overload', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_1M);
  const dataset = datasetOf(SALES_1M);
  const { load } = DEFAULT_LIMITS;
  const gateway = await spawnGateway(dir, {
    CACHE_TTL_SECONDS: '0',
    RESPONSE_CACHE_MAX_BYTES: '0',
    // The deployed per-caller rates and budget (the harness lifts them for the other scenarios).
    RATE_LIMIT_QUERIES_PER_SECOND: String(load.queriesPerSecond),
    RATE_LIMIT_QUERIES_BURST: String(load.queriesBurst),
    COST_BUDGET_UNITS: String(DEFAULT_LIMITS.cost.budgetUnits),
  });
  const graphqlUrl = gateway.graphqlUrl;
  const pid = gateway.child.pid!;
  try {
    // Warm up, then the latency of one request at a time: what "recovered" compares with.
    for (let i = 0; i < 20; i += 1) await send(graphqlUrl, uncachedBody(dataset), CALLERS[0]!);
    const idle: number[] = [];
    for (let i = 0; i < 50; i += 1)
      idle.push((await send(graphqlUrl, uncachedBody(dataset), CALLERS[0]!)).ms);
    const idleP50 = median(idle);

    // Capacity: closed loop, CAPACITY_CONNECTIONS at a time over the callers.
    const capacityEnd = performance.now() + CAPACITY_MS;
    const capacityOutcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: CAPACITY_CONNECTIONS }, async (_, i) => {
        const caller = CALLERS[i % CALLERS.length]!;
        while (performance.now() < capacityEnd && capacityOutcomes.length < MAX_REQUESTS)
          capacityOutcomes.push(await send(graphqlUrl, uncachedBody(dataset), caller));
      }),
    );
    const capacityOk = capacityOutcomes.filter(ok);
    const capacity = capacityOk.length / (CAPACITY_MS / 1000);
    report.info('uncached capacity (closed loop, 8 in flight)', `${capacity.toFixed(0)} requests/s`);
    report.info(
      'latency at capacity p50 / p99',
      `${fmtMs(median(capacityOk.map((o) => o.ms)))} / ${fmtMs(
        percentile(
          capacityOk.map((o) => o.ms),
          99,
        ),
      )}`,
    );

    // Overload: open loop at twice capacity for OVERLOAD_MS.
    const rate = 2 * capacity;
    const rss: Array<{ s: number; bytes: number }> = [{ s: 0, bytes: rssBytes(pid) }];
    const outcomes: Array<Promise<Outcome>> = [];
    const started = performance.now();
    const sampler = setInterval(
      () => rss.push({ s: (performance.now() - started) / 1000, bytes: rssBytes(pid) }),
      1000,
    );
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = performance.now() - started;
        if (elapsed >= OVERLOAD_MS || outcomes.length >= MAX_REQUESTS) {
          clearInterval(tick);
          resolve();
          return;
        }
        const due = Math.floor((elapsed / 1000) * rate);
        while (outcomes.length < due)
          outcomes.push(send(graphqlUrl, uncachedBody(dataset), CALLERS[outcomes.length % CALLERS.length]!));
      }, 5);
    });
    const stoppedAt = performance.now();
    const settled = await Promise.race([
      Promise.all(outcomes),
      new Promise<null>((resolve) => setTimeout(resolve, DRAIN_CAP_MS, null).unref()),
    ]);
    // Recovery: one probe at a time until an answer is as fast as when idle (2× its p50).
    let recoveredMs: number | null = null;
    while (performance.now() - stoppedAt < RECOVERY_CAP_MS) {
      const probe = await send(graphqlUrl, uncachedBody(dataset), CALLERS[0]!);
      if (ok(probe) && probe.ms <= 2 * idleP50) {
        recoveredMs = performance.now() - stoppedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(sampler);
    rss.push({ s: (performance.now() - started) / 1000, bytes: rssBytes(pid) });
    if (!settled) throw new Error(`Requests still in flight ${DRAIN_CAP_MS} ms after the load stopped`);

    const admitted = settled.filter(ok);
    const refused = settled.filter((o) => o.status === 503 || o.status === 429);
    const other = settled.filter((o) => !ok(o) && o.status !== 503 && o.status !== 429);
    const admittedMs = admitted.map((o) => o.ms);
    const refusedMs = refused.map((o) => o.ms);
    const rssValues = rss.map((r) => r.bytes);
    const figures = {
      capacityPerSecond: capacity,
      offeredPerSecond: rate,
      offered: settled.length,
      admitted: admitted.length,
      admittedPerSecond: admitted.length / (OVERLOAD_MS / 1000),
      admittedP50: median(admittedMs),
      admittedP99: percentile(admittedMs, 99),
      refused: refused.length,
      refusedCodes: [...new Set(refused.map((o) => `${o.status} ${o.code}`))],
      refusalP50: refused.length ? median(refusedMs) : null,
      refusalP99: refused.length ? percentile(refusedMs, 99) : null,
      otherErrors: other.length,
      otherCodes: [...new Set(other.map((o) => `${o.status} ${o.code}`))],
      idleP50,
      recoveredMs,
      rssStart: rssValues[0]!,
      rssMax: Math.max(...rssValues),
      rssEnd: rssValues[rssValues.length - 1]!,
      rss,
    };
    report.info(
      'offered (open loop, 2× capacity, 30 s)',
      `${rate.toFixed(0)} requests/s, ${settled.length} requests`,
    );
    report.check({
      metric: 'admitted p99 under 2× load',
      value: fmtMs(figures.admittedP99),
      baseline: `p50 ${fmtMs(figures.admittedP50)}, ${admitted.length} admitted (${figures.admittedPerSecond.toFixed(0)}/s)`,
      ratio: '',
      target: '≤ 2.5 s (queue wait bound 1 s + running under load)',
      pass: figures.admittedP99 <= 2_500,
    });
    report.check({
      metric: 'refusal latency p50',
      value: figures.refusalP50 === null ? 'none refused' : fmtMs(figures.refusalP50),
      baseline: `p99 ${figures.refusalP99 === null ? '—' : fmtMs(figures.refusalP99)}, ${refused.length} refused (${figures.refusedCodes.join(', ')})`,
      ratio: '',
      target: '≤ 100 ms (refused at arrival; p99 includes waiters refused after the 1 s bound)',
      pass: figures.refusalP50 === null ? false : figures.refusalP50 <= 100,
    });
    report.check({
      metric: 'errors other than 503/429',
      value: String(other.length),
      baseline: figures.otherCodes.join(', '),
      ratio: '',
      target: '0',
      pass: other.length === 0,
    });
    report.check({
      metric: 'RSS during the run',
      value: `${fmtMb(figures.rssStart)} → max ${fmtMb(figures.rssMax)} → ${fmtMb(figures.rssEnd)}`,
      baseline: '',
      ratio: '',
      target: 'max ≤ start + 256 MB',
      pass: figures.rssMax <= figures.rssStart + 256 * 1024 * 1024,
    });
    report.check({
      metric: 'recovery after the load stops',
      value: recoveredMs === null ? `not within ${RECOVERY_CAP_MS / 1000} s` : fmtMs(recoveredMs),
      baseline: `idle p50 ${fmtMs(idleP50)}`,
      ratio: '',
      target: '≤ 5 s to answer within 2× idle p50',
      pass: recoveredMs !== null && recoveredMs <= 5_000,
    });
    const file = path.join(ROOT, 'bench', '.work', 'results', 'overload-figures.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(figures, null, 2));
    report.note(`figures with RSS samples: ${path.relative(ROOT, file)}`);
  } finally {
    await gateway.stop();
    for (const agent of agents.values()) agent.destroy();
  }
});
