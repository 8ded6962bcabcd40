import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REALISTIC_PROFILE, salesRows } from '../test/support/sales-fixture';
import { DATA_FROM, writeCsvRows } from './lib/data';
import { rssBytes, spawnGateway, type SpawnedGateway } from './lib/gateway';
import { request, uploadFile } from './lib/http';
import { ROOT, WORK_DIR } from './lib/paths';
import { fmtMb, percentile, runScenario, type Report } from './lib/stats';
import type { TableSize } from './lib/table-sizes';

/**
 * The scale curve (issue 16): the realistic sales profile loaded THROUGH THE GATEWAY (POST
 * /uploads: S3, then the load statement and every rollup view) at 1 M, 10 M and 100 M rows, each
 * size in a fresh data directory, always over the same 92 days (so density grows with size).
 * 100 M arrives as ten 10 M-row files: realistic monthly-export-sized uploads, and it shows what
 * `upload_id` in every rollup key costs (ten uploads' rows of one hour are ten rollup rows until
 * nothing merges them). Files are generated one at a time and deleted once uploaded.
 *
 * Per size: ingest rows/s (sum of upload request times), peak RSS of the gateway while loading and
 * while answering, rollup rows/bytes/parts as loaded and after OPTIMIZE FINAL (system.parts),
 * disk used, and p50/p99 of the whole dashboard screen (`examples/report.graphql` over HTTP)
 * with the gateway's caches off and on. Not in CI: `npm run bench:scale-curve -- 1m 10m`, then
 * `npm run bench:scale-curve -- 100m` (about 30 GB of disk at the peak is the bound we keep).
 */
const SIZES: Record<string, { rows: number; files: number }> = {
  '1m': { rows: 1_000_000, files: 1 },
  '10m': { rows: 10_000_000, files: 1 },
  '100m': { rows: 100_000_000, files: 10 },
};
const DAYS = 92;
const TO = new Date(DATA_FROM.getTime() + DAYS * 86_400_000);
const UNCACHED_REQUESTS = 60;
const CACHED_REQUESTS = 500;
const MIN_FREE_BYTES = 10 * 1024 ** 3;
const MAX_DIR_BYTES = 30 * 1024 ** 3;
// KPI_CACHE_MAX_BYTES=0 fails the gateway's start (lru-cache refuses a size-counted cache of 0): one
// byte holds no answer, so every request computes.
const CACHES_OFF = { KPI_CACHE_MAX_BYTES: '1', RESPONSE_CACHE_MAX_BYTES: '0' };

interface DashboardTiming {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  readonly kpi?: unknown;
}

interface SizeResult {
  readonly size: string;
  readonly rows: number;
  readonly files: number;
  readonly finishedAt: string;
  readonly generateSeconds: number;
  readonly uploadSeconds: number;
  readonly rowsPerSecond: number;
  readonly perFileSeconds: number[];
  readonly peakRssIngest: number;
  readonly peakRssQueries: number;
  readonly settleSeconds: number;
  readonly tables: Record<string, { asLoaded?: TableSize; merged?: TableSize }>;
  readonly disk: { chdb: number; s3: number; chdbMerged: number };
  readonly uncached: DashboardTiming;
  readonly cached: DashboardTiming;
  readonly wallSeconds: number;
}

const sizeDir = (size: string) => path.join(WORK_DIR, `scale-${size}`);
const resultFile = (size: string) => path.join(WORK_DIR, 'results', `scale-curve-${size}.json`);

function duBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

function assertDiskRoom(dir: string): void {
  const stats = fs.statfsSync(WORK_DIR);
  const free = stats.bavail * stats.bsize;
  const used = duBytes(dir);
  if (free < MIN_FREE_BYTES || used > MAX_DIR_BYTES)
    throw new Error(`Disk bound: ${fmtMb(free)} free, ${fmtMb(used)} in ${dir}; stopping`);
}

/** One CSV of the realistic profile, streamed to disk with backpressure. */
async function writeCsv(file: string, seed: number, rows: number): Promise<void> {
  await writeCsvRows(
    fs.createWriteStream(file),
    salesRows({ seed, rows, from: DATA_FROM, days: DAYS, profile: REALISTIC_PROFILE }),
  );
}

/** Peak RSS of a process, sampled every 200 ms until stopped. */
function rssSampler(pid: number): { peak(): number; stop(): number } {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // The process ended between samples.
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function tableSizes(chdbPath: string): { lines: Array<{ label: string; tables: TableSize[] }>; ms: number } {
  const output = execFileSync(
    process.execPath,
    [path.join(__dirname, 'lib', 'table-sizes.js'), chdbPath, 'settle'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith('SIZES '))
    .map((l) => JSON.parse(l.slice(6)) as { label: string; tables: TableSize[] });
  const settled = /^SETTLED (\d+)$/m.exec(output);
  return { lines, ms: Number(settled?.[1] ?? 0) };
}

async function dashboard(gateway: SpawnedGateway, dataset: string, count: number): Promise<DashboardTiming> {
  const query = fs.readFileSync(path.join(ROOT, 'examples', 'report.graphql'), 'utf8');
  const body = JSON.stringify({
    query,
    variables: { dataset, from: DATA_FROM.toISOString(), to: TO.toISOString() },
  });
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  const once = async () => {
    const started = performance.now();
    const { status, text } = await request(gateway.graphqlUrl, 'POST', headers, body);
    const ms = performance.now() - started;
    const answer = JSON.parse(text) as { data?: unknown; errors?: unknown; extensions?: { kpi?: unknown } };
    if (status !== 200 || answer.errors !== undefined || !answer.data)
      throw new Error(`Dashboard failed (${status}): ${text.slice(0, 400)}`);
    return { ms, kpi: answer.extensions?.kpi };
  };
  for (let i = 0; i < 3; i += 1) await once();
  const latencies: number[] = [];
  let kpi: unknown;
  for (let i = 0; i < count; i += 1) {
    const answer = await once();
    latencies.push(answer.ms);
    kpi = answer.kpi;
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count, kpi };
}

async function runSize(size: string, report: Report): Promise<SizeResult> {
  const spec = SIZES[size];
  if (!spec) throw new Error(`Unknown size ${size}: one of ${Object.keys(SIZES).join(', ')}`);
  const wallStarted = Date.now();
  const dir = sizeDir(size);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const dataset = `scale-${size}`;
  const rowsPerFile = spec.rows / spec.files;
  let generateMs = 0;
  let uploadMs = 0;
  const perFileSeconds: number[] = [];
  const gateway = await spawnGateway(dir);
  const ingestRss = rssSampler(gateway.child.pid!);
  try {
    for (let i = 0; i < spec.files; i += 1) {
      assertDiskRoom(dir);
      const file = path.join(WORK_DIR, `scale-${size}-${i}.csv`);
      let started = performance.now();
      await writeCsv(file, 9000 + spec.files * 100 + i, rowsPerFile);
      generateMs += performance.now() - started;
      started = performance.now();
      const upload = await uploadFile(gateway.url, dataset, file);
      const ms = performance.now() - started;
      fs.rmSync(file);
      if (upload.rowsLoaded !== rowsPerFile)
        throw new Error(`Loaded ${upload.rowsLoaded} of ${rowsPerFile} rows from file ${i}`);
      uploadMs += ms;
      perFileSeconds.push(ms / 1000);
      // A long run leaves its progress behind, so a run cut short still says how far it got.
      fs.mkdirSync(path.dirname(resultFile(size)), { recursive: true });
      fs.writeFileSync(
        resultFile(`${size}.progress`),
        JSON.stringify(
          {
            size,
            filesDone: i + 1,
            rowsPerFile,
            generateMs,
            uploadMs,
            perFileSeconds,
            peakRss: ingestRss.peak(),
            at: new Date().toISOString(),
          },
          null,
          2,
        ),
      );
      console.log(
        `  ${size} file ${i + 1}/${spec.files}: ${(ms / 1000).toFixed(1)} s (receive ${upload.receiveMs} ms, load ${upload.loadMs} ms), RSS peak so far ${fmtMb(ingestRss.peak())}`,
      );
    }
  } finally {
    await gateway.stop();
  }
  const peakRssIngest = ingestRss.stop();
  const chdbPath = path.join(dir, 'chdb');
  const disk = { chdb: duBytes(chdbPath), s3: duBytes(path.join(dir, 's3')), chdbMerged: 0 };
  const sizes = tableSizes(chdbPath);
  disk.chdbMerged = duBytes(chdbPath);
  const tables: SizeResult['tables'] = {};
  for (const line of sizes.lines) {
    for (const t of line.tables) {
      const entry = (tables[t.table] ??= {});
      if (line.label === 'merged') entry.merged = t;
      else entry.asLoaded = t;
    }
  }

  const timings: { uncached?: DashboardTiming; cached?: DashboardTiming } = {};
  let peakRssQueries = 0;
  for (const [phase, env, count] of [
    ['uncached', CACHES_OFF, UNCACHED_REQUESTS],
    ['cached', {}, CACHED_REQUESTS],
  ] as const) {
    const served = await spawnGateway(dir, env);
    const rss = rssSampler(served.child.pid!);
    try {
      timings[phase] = await dashboard(served, dataset, count);
    } finally {
      peakRssQueries = Math.max(peakRssQueries, rss.stop());
      await served.stop();
    }
  }
  const result: SizeResult = {
    size,
    rows: spec.rows,
    files: spec.files,
    finishedAt: new Date().toISOString(),
    generateSeconds: generateMs / 1000,
    uploadSeconds: uploadMs / 1000,
    rowsPerSecond: spec.rows / (uploadMs / 1000),
    perFileSeconds,
    peakRssIngest,
    peakRssQueries,
    settleSeconds: sizes.ms / 1000,
    tables,
    disk,
    uncached: timings.uncached!,
    cached: timings.cached!,
    wallSeconds: (Date.now() - wallStarted) / 1000,
  };
  fs.mkdirSync(path.dirname(resultFile(size)), { recursive: true });
  fs.writeFileSync(resultFile(size), JSON.stringify(result, null, 2));
  report.info(`${size} ingest`, `${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s`);
  report.info(
    `${size} dashboard uncached p50/p99`,
    `${result.uncached.p50.toFixed(1)} / ${result.uncached.p99.toFixed(1)} ms`,
  );
  report.info(
    `${size} dashboard cached p50/p99`,
    `${result.cached.p50.toFixed(2)} / ${result.cached.p99.toFixed(2)} ms`,
  );
  report.info(`${size} wall clock`, `${result.wallSeconds.toFixed(0)} s`);
  // The directory is measured; it goes so the next size has the disk (KEEP_SCALE_DIRS=1 keeps it).
  if (process.env.KEEP_SCALE_DIRS !== '1') fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Every size measured so far, as the tables of the results page. */
function summary(): string {
  const results = Object.keys(SIZES)
    .filter((size) => fs.existsSync(resultFile(size)))
    .map((size) => JSON.parse(fs.readFileSync(resultFile(size), 'utf8')) as SizeResult);
  const mb = (n: number) => fmtMb(n);
  const lines = [
    '| rows | files | ingest rows/s | upload s | peak RSS ingest / queries | chdb disk (merged) | s3 disk | dashboard uncached p50 / p99 | cached p50 / p99 | rows read (uncached) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const kpi = r.uncached.kpi as { clickhouse?: { rowsRead?: number; queries?: number } } | undefined;
      return `| ${r.rows.toLocaleString('en-US')} | ${r.files} | ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} | ${r.uploadSeconds.toFixed(1)} | ${mb(r.peakRssIngest)} / ${mb(r.peakRssQueries)} | ${mb(r.disk.chdb)} (${mb(r.disk.chdbMerged)}) | ${mb(r.disk.s3)} | ${r.uncached.p50.toFixed(1)} / ${r.uncached.p99.toFixed(1)} ms | ${r.cached.p50.toFixed(2)} / ${r.cached.p99.toFixed(2)} ms | ${kpi?.clickhouse?.rowsRead?.toLocaleString('en-US') ?? '?'} in ${kpi?.clickhouse?.queries ?? '?'} statements |`;
    }),
    '',
    '| table | ' +
      results.map((r) => `${r.size} rows as loaded → merged (parts), bytes merged`).join(' | ') +
      ' |',
    '|---|' + results.map(() => '---|').join(''),
  ];
  const tables = [...new Set(results.flatMap((r) => Object.keys(r.tables)))].filter((t) =>
    t.startsWith('sales_'),
  );
  for (const table of tables) {
    const cells = results.map((r) => {
      const t = r.tables[table];
      if (!t) return '—';
      return `${t.asLoaded?.rows.toLocaleString('en-US') ?? '?'} (${t.asLoaded?.parts ?? '?'}) → ${t.merged?.rows.toLocaleString('en-US') ?? '?'} (${t.merged?.parts ?? '?'}), ${mb(t.merged?.bytes ?? 0)}`;
    });
    lines.push(`| ${table} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

runScenario('scale-curve', async (report) => {
  const requested = process.argv.slice(2);
  for (const size of requested.length > 0 ? requested : ['1m', '10m']) {
    const result = await runSize(size, report);
    report.note(`${size}: ${JSON.stringify({ ...result, tables: undefined })}`);
  }
  const text = summary();
  fs.writeFileSync(path.join(WORK_DIR, 'results', 'scale-curve.md'), `${text}\n`);
  console.log(`\n${text}`);
});
