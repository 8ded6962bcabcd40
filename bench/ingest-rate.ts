import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ensureCsv,
  profileOf,
  SALES_10M_REALISTIC,
  SALES_1M_REALISTIC,
  SALES_1MB,
  type CsvSpec,
} from './lib/data';
import { spawnGateway } from './lib/gateway';
import { uploadFile, type UploadResponse } from './lib/http';
import { WORK_DIR } from './lib/paths';
import { peakRssBytes } from './lib/plain-load';
import { fmtCount, fmtMb, fmtMs, fmtRatio, median, runScenario, type Report } from './lib/stats';

/**
 * Ingest rate of the realistic sales file (issue 17 item 5): `node ingest-rate.js 1m|10m [rounds]`
 * (`small`: the fixed cost of an 8,000-row upload).
 * Each round runs, in alternating order, (a) the engine alone, a plain typed `file()` load of the
 * raw table with no views, and (b) an upload through the gateway (HTTP → object store → load),
 * each in a fresh process with a fresh data directory, so that each peak RSS (`VmHWM`) is that
 * load's own. Rate = baseline time / gateway time, for the load phase and end to end.
 */
const RATE_TARGET = 0.4;
const SIZES: Record<string, CsvSpec> = { '1m': SALES_1M_REALISTIC, '10m': SALES_10M_REALISTIC };
const run = promisify(execFile);

interface Plain {
  ms: number;
  rows: number;
  hwmBytes: number;
}
interface ViaGateway {
  totalMs: number;
  upload: UploadResponse;
  hwmBytes: number;
  /** The load's own step profile (the `upload load steps` log line), when it logs one. */
  steps: Record<string, number> | null;
}

async function plainLoad(file: string): Promise<Plain> {
  const { stdout } = await run(
    process.execPath,
    [path.join(__dirname, 'lib', 'plain-load.js'), path.join(WORK_DIR, 'ingest-rate-plain'), file],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Plain;
}

/** The `upload load steps` log lines of a gateway, in order. */
function stepLines(logs: readonly string[]): Array<Record<string, number>> {
  return logs
    .join('\n')
    .split('\n')
    .filter((line) => line.includes('upload load steps'))
    .map((line) => (JSON.parse(line) as { steps: Record<string, number> }).steps);
}

function stepsOf(logs: readonly string[]): Record<string, number> | null {
  return stepLines(logs)[0] ?? null;
}

async function gatewayLoad(file: string, rows: number): Promise<ViaGateway> {
  const dir = path.join(WORK_DIR, 'ingest-rate-gateway');
  fs.rmSync(dir, { recursive: true, force: true });
  const gateway = await spawnGateway(dir);
  try {
    const started = Date.now();
    const upload = await uploadFile(gateway.url, 'ingest-rate', file);
    const totalMs = Date.now() - started;
    if (upload.rowsLoaded !== rows) throw new Error(`gateway loaded ${upload.rowsLoaded} of ${rows} rows`);
    const hwmBytes = peakRssBytes(gateway.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { totalMs, upload, hwmBytes, steps: stepsOf(gateway.logs) };
  } finally {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A small file is fixed cost: statements and ledger writes. Median of 7 uploads to one gateway. */
async function smallUploads(report: Report): Promise<void> {
  const file = await ensureCsv(SALES_1MB);
  const dir = path.join(WORK_DIR, 'ingest-rate-small');
  fs.rmSync(dir, { recursive: true, force: true });
  const gateway = await spawnGateway(dir);
  const uploads: UploadResponse[] = [];
  let steps: Array<Record<string, number>>;
  try {
    for (let i = 0; i < 8; i += 1) uploads.push(await uploadFile(gateway.url, `small-${i}`, file));
    await new Promise((resolve) => setTimeout(resolve, 200));
    steps = stepLines(gateway.logs).slice(1);
  } finally {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const kept = uploads.slice(1);
  report.info(
    `${fmtCount(SALES_1MB.rows)}-row file: receive / load (median of ${kept.length}, first upload discarded)`,
    `${fmtMs(median(kept.map((u) => u.receiveMs)))} / ${fmtMs(median(kept.map((u) => u.loadMs)))}`,
  );
  for (const name of Object.keys(steps[0] ?? {}))
    report.info(`… load step: ${name}`, fmtMs(median(steps.map((s) => s[name] ?? Number.NaN))));
}

runScenario(`ingest-rate-${process.argv[2] ?? '1m'}`, async (report) => {
  if (process.argv[2] === 'small') return smallUploads(report);
  const spec = SIZES[process.argv[2] ?? '1m'];
  if (!spec) throw new Error('usage: ingest-rate.js 1m|10m [rounds]');
  const rounds = Number(process.argv[3] ?? 3);
  const file = await ensureCsv(spec);
  report.note(`${fmtCount(spec.rows)} rows, ${fmtMb(fs.statSync(file).size)}: ${profileOf(spec)}`);
  const plain: Plain[] = [];
  const gw: ViaGateway[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? ['plain', 'gateway'] : ['gateway', 'plain'];
    for (const which of order) {
      if (which === 'plain') {
        const p = await plainLoad(file);
        if (p.rows !== spec.rows) throw new Error(`plain load kept ${p.rows} of ${spec.rows} rows`);
        plain.push(p);
        console.log(`  round ${round} plain ${fmtMs(p.ms)}, peak RSS ${fmtMb(p.hwmBytes)}`);
      } else {
        const g = await gatewayLoad(file, spec.rows);
        gw.push(g);
        console.log(
          `  round ${round} gateway receive ${fmtMs(g.upload.receiveMs)} load ${fmtMs(g.upload.loadMs)} total ${fmtMs(g.totalMs)}, peak RSS ${fmtMb(g.hwmBytes)}${g.steps ? ` steps ${JSON.stringify(g.steps)}` : ''}`,
        );
      }
    }
  }
  const base = median(plain.map((p) => p.ms));
  const load = median(gw.map((g) => g.upload.loadMs));
  const total = median(gw.map((g) => g.totalMs));
  const rate = (ms: number) => `${fmtCount(spec.rows / (ms / 1000))} rows/s (${fmtMs(ms)})`;
  report.check({
    metric: `${fmtCount(spec.rows)} realistic rows: gateway load phase (object store → raw + every rollup)`,
    value: rate(load),
    baseline: `plain typed file() load of the raw table ${rate(base)}`,
    ratio: fmtRatio(base / load),
    target: `≥ ${RATE_TARGET}× plain`,
    pass: base / load >= RATE_TARGET,
  });
  report.info(
    '… end to end (HTTP receive + load)',
    rate(total),
    `plain ${fmtMs(base)}`,
    fmtRatio(base / total),
  );
  report.info('… receive phase (HTTP → object store)', fmtMs(median(gw.map((g) => g.upload.receiveMs))));
  report.info(
    'peak RSS (VmHWM): gateway process / plain-load process',
    `${fmtMb(Math.max(...gw.map((g) => g.hwmBytes)))} / ${fmtMb(Math.max(...plain.map((p) => p.hwmBytes)))}`,
  );
  const steps = gw.flatMap((g) => (g.steps ? [g.steps] : []));
  for (const name of Object.keys(steps[0] ?? {}))
    report.info(`load step: ${name}`, fmtMs(median(steps.map((s) => s[name] ?? Number.NaN))));
});
