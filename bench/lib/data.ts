import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { readMigrations } from '../../src/warehouse/migrations';
import {
  csvHeader,
  csvLine,
  DEFAULT_PROFILE,
  REALISTIC_PROFILE,
  salesRows,
  type SalesProfile,
  type SalesRow,
} from '../../test/support/sales-fixture';
import { spawnGateway } from './gateway';
import { uploadFile } from './http';
import { WORK_DIR } from './paths';

/** A generated file: the fixture's options plus a name. Same spec → byte-identical file. */
export interface CsvSpec {
  readonly name: string;
  readonly seed: number;
  readonly rows: number;
  readonly branches?: number;
  /** Dimension cardinalities; absent: the generator's defaults (stated in `profileOf`). */
  readonly profile?: SalesProfile;
}

/** The cardinalities a file was generated with, for reports: every benchmark states its data. */
export function profileOf(spec: CsvSpec): string {
  const p = spec.profile ?? { ...DEFAULT_PROFILE, branches: spec.branches ?? DEFAULT_PROFILE.branches };
  return `${p.branches} branches × ${p.productLines} product lines × ${p.itemGroups} item groups × ${p.salesPeople} sales people, ${p.items} items, ${p.customers} customers, ${p.accounts} accounts, ${DATA_DAYS} days, uniform`;
}

/** Every benchmark file spans the same 90 days, the range the dashboard queries ask about. */
export const DATA_FROM = new Date('2024-01-01T00:00:00Z');
export const DATA_DAYS = 90;
export const DATA_TO = new Date(DATA_FROM.getTime() + DATA_DAYS * 86_400_000);

export const SALES_1MB: CsvSpec = { name: 'sales-8k', seed: 5, rows: 8_000 };
export const SALES_1M: CsvSpec = { name: 'sales-1m', seed: 101, rows: 1_000_000 };
export const SALES_10M: CsvSpec = { name: 'sales-10m', seed: 7, rows: 10_000_000 };
/** Issue 17's realistic cardinalities (thousands of dimension combinations per day, not ~300). */
export const SALES_1M_REALISTIC: CsvSpec = {
  name: 'sales-1m-realistic',
  seed: 103,
  rows: 1_000_000,
  profile: REALISTIC_PROFILE,
};
export const SALES_10M_REALISTIC: CsvSpec = {
  name: 'sales-10m-realistic',
  seed: 107,
  rows: 10_000_000,
  profile: REALISTIC_PROFILE,
};
/** The generator's default has 5 branches; the batching scenario needs ≥ 50 branch cards. */
export const SALES_60_BRANCHES: CsvSpec = {
  name: 'sales-1m-60-branches',
  seed: 11,
  rows: 1_000_000,
  branches: 60,
};

export const branchNames = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `Branch ${String(i + 1).padStart(2, '0')}`);

export function csvPath(spec: CsvSpec): string {
  return path.join(WORK_DIR, `${spec.name}.csv`);
}

/**
 * Writes the CSV once, streamed in chunks with backpressure (10 M rows never sit in memory), to a
 * temporary name renamed at the end: a file under its final name is always complete.
 */
export async function ensureCsv(spec: CsvSpec): Promise<string> {
  const file = csvPath(spec);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const started = Date.now();
  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp);
  const rows = salesRows({
    seed: spec.seed,
    rows: spec.rows,
    from: DATA_FROM,
    days: DATA_DAYS,
    branches: spec.branches ? branchNames(spec.branches) : undefined,
    profile: spec.profile,
  });
  await writeCsvRows(out, rows);
  fs.renameSync(tmp, file);
  console.log(
    `  generated ${path.basename(file)}: ${spec.rows.toLocaleString('en-US')} rows, ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return file;
}

export function dataDirOf(spec: CsvSpec): string {
  return path.join(WORK_DIR, `data-${spec.name}`);
}

/** The dataset name a loaded data directory holds its file under. */
export const datasetOf = (spec: CsvSpec): string => `bench-${spec.name}`;

/** The newest migration a data directory is brought to before a scenario reads it. */
const schemaVersion = (): number => Math.max(...readMigrations().map((m) => m.version));

/**
 * A gateway data directory holding `spec`'s file, uploaded once through the gateway itself (so
 * ledger, catalog and rollups are exactly what production would have) and reused afterwards. A
 * directory loaded by an older version is migrated first (a new rollup is backfilled, then merged
 * like the others), so every scenario reads every table the planner may choose.
 */
export async function ensureLoadedDataDir(spec: CsvSpec): Promise<string> {
  const dir = dataDirOf(spec);
  const marker = path.join(dir, 'bench-loaded.json');
  if (fs.existsSync(marker)) {
    const loaded = JSON.parse(fs.readFileSync(marker, 'utf8')) as { schemaVersion?: number };
    if (loaded.schemaVersion !== schemaVersion()) {
      const started = Date.now();
      execFileSync(
        process.execPath,
        [path.join(__dirname, 'settle-data-dir.js'), path.join(dir, 'chdb'), 'upgrade'],
        { stdio: 'inherit' },
      );
      fs.writeFileSync(marker, JSON.stringify({ ...loaded, schemaVersion: schemaVersion() }, null, 2));
      console.log(
        `  migrated ${path.basename(dir)} to schema ${schemaVersion()} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    return dir;
  }
  const file = await ensureCsv(spec);
  fs.rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  const gateway = await spawnGateway(dir);
  let upload: Awaited<ReturnType<typeof uploadFile>>;
  try {
    upload = await uploadFile(gateway.url, datasetOf(spec), file);
    if (upload.rowsLoaded !== spec.rows) throw new Error(`Loaded ${upload.rowsLoaded} rows of ${spec.rows}`);
  } finally {
    await gateway.stop();
  }
  execFileSync(
    process.execPath,
    [path.join(__dirname, 'settle-data-dir.js'), path.join(dir, 'chdb'), 'loaded'],
    { stdio: 'inherit' },
  );
  fs.writeFileSync(marker, JSON.stringify({ spec, upload, schemaVersion: schemaVersion() }, null, 2));
  console.log(
    `  loaded ${path.basename(file)} into ${path.basename(dir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return dir;
}

/** Writes a header and the rows as CSV, in chunks with backpressure, then closes the stream. */
export async function writeCsvRows(out: fs.WriteStream, rows: Iterable<SalesRow>): Promise<void> {
  let chunk = `${csvHeader()}\n`;
  let n = 0;
  for (const row of rows) {
    chunk += `${csvLine(row)}\n`;
    if (++n % 5000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
