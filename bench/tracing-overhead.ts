import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { ensureCsv, SALES_1MB } from './lib/data';
import { request, uploadFile } from './lib/http';
import { dashboardOperation, KPI_SETS, ONE_DAY, rangeVariables } from './lib/queries';
import { ROOT, WORK_DIR } from './lib/paths';
import { ONE_CALLER_ENV } from './lib/gateway';
import { fmtMs, median, percentile, runScenario } from './lib/stats';

/**
 * What tracing costs (docs/operations.md, "Tracing"), in one run, interleaved: the same uncached
 * one-day dashboard query (each request reaches ClickHouse, so every span site on the path runs)
 * against three gateways in their own processes on copies of one small data set:
 * - `before`: the build of a commit without any tracing code (argument 1, default below);
 * - `off`: this build, tracing off (the default);
 * - `on`: this build, tracing on, exporting to a local OTLP receiver that accepts and drops.
 * "off vs before" is the claim that tracing off costs nothing measurable.
 */
const BASE_COMMIT = process.argv[2] ?? '6849ddc';
const ROUNDS = 4;
const PHASE_MS = 4000;
const CACHES_OFF = { KPI_CACHE_MAX_BYTES: '1', RESPONSE_CACHE_MAX_BYTES: '0' };

interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

/** Builds the base commit once, in bench/.work (node_modules resolve from the worktree above it). */
function baseBuild(): string {
  const dir = path.join(WORK_DIR, `base-${BASE_COMMIT}`);
  if (fs.existsSync(path.join(dir, 'dist/src/index.js'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', BASE_COMMIT], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  return dir;
}

async function start(root: string, dataDir: string, env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0', ...ONE_CALLER_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway in ${root} exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"listening"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * One keep-alive connection sending the next request when the last is answered, for `durationMs`.
 * Uncached answers differ in their `extensions` (timings), so each is checked for status and
 * errors rather than compared byte for byte.
 */
async function loop(url: string, body: string, durationMs: number): Promise<number[]> {
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const started = performance.now();
    const { status, text } = await request(`${url}/graphql`, 'POST', headers, body);
    latencies.push(performance.now() - started);
    if (status !== 200 || text.includes('"errors"'))
      throw new Error(`Not an answer (${status}): ${text.slice(0, 300)}`);
  }
  return latencies;
}

/** A receiver that accepts every export and keeps nothing but a count. */
async function sink(): Promise<{ endpoint: string; exports: () => number; close(): void }> {
  let exports = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, exports: () => exports, close: () => server.close() };
}

runScenario('tracing-overhead', async (report) => {
  const base = baseBuild();
  const file = await ensureCsv(SALES_1MB);
  const receiver = await sink();
  const setups: Record<string, { root: string; env: Record<string, string> }> = {
    before: { root: base, env: CACHES_OFF },
    off: { root: ROOT, env: CACHES_OFF },
    on: { root: ROOT, env: { ...CACHES_OFF, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } },
  };
  const gateways: Record<string, Running> = {};
  const dataset = 'bench-tracing';
  try {
    for (const [name, { root, env }] of Object.entries(setups)) {
      const dir = path.join(WORK_DIR, `tracing-${name}`);
      fs.rmSync(dir, { recursive: true, force: true });
      gateways[name] = await start(root, dir, env);
      await uploadFile(gateways[name].url, dataset, file);
    }
    const body = JSON.stringify({
      query: dashboardOperation('totals', KPI_SETS.sums),
      variables: rangeVariables(dataset, ONE_DAY),
    });
    const latencies: Record<string, number[]> = { before: [], off: [], on: [] };
    for (let round = -1; round < ROUNDS; round += 1) {
      for (const name of Object.keys(setups)) {
        const result = await loop(gateways[name]!.url, body, round < 0 ? 1000 : PHASE_MS);
        // Round -1 warms every gateway up and is not counted.
        if (round >= 0) latencies[name]!.push(...result);
      }
    }
    const p50 = (name: string) => median(latencies[name]!);
    for (const name of Object.keys(setups))
      report.info(
        `${name}: uncached one-day totals p50 / p99 (${latencies[name]!.length} requests)`,
        `${fmtMs(p50(name))} / ${fmtMs(percentile(latencies[name]!, 99))}`,
      );
    report.check({
      metric: 'tracing off vs before tracing existed (p50)',
      value: fmtMs(p50('off')),
      baseline: fmtMs(p50('before')),
      ratio: `${(p50('off') / p50('before')).toFixed(3)}×`,
      target: '≤ 1.05× (noise on this machine)',
      pass: p50('off') / p50('before') <= 1.05,
    });
    report.info('tracing on vs off (p50)', `${(p50('on') / p50('off')).toFixed(3)}×`);
    report.note(`receiver got ${receiver.exports()} export requests from the traced gateway`);
    if (receiver.exports() === 0) throw new Error('the traced gateway exported nothing');
  } finally {
    for (const gateway of Object.values(gateways)) await gateway.stop();
    receiver.close();
  }
});
