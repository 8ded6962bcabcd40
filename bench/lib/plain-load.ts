import fs from 'node:fs';
import path from 'node:path';
import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { migrate } from '../../src/warehouse/migrations';
import type { Warehouse } from '../../src/warehouse/warehouse';

/**
 * `node plain-load.js <dir> <csv>`: the baseline a ClickHouse user would have, in a process of
 * its own (chDB allows one data path per process, and its peak RSS must be its own): a fresh
 * engine, a table with the raw table's structure and no views, one typed `INSERT … SELECT FROM
 * file()`. Prints `{ ms, rows, hwmBytes }` as its last line.
 */
const TYPES = {
  time: "DateTime('UTC')",
  money: 'Decimal(18, 4)',
  quantity: 'Decimal(18, 4)',
  integer: 'Int64',
  string: 'String',
} as const;

/** The file's columns with their real types: what a user of the engine alone would write. */
export const TYPED_STRUCTURE = DATASET_KINDS.sales.columns
  .map((c) => `${c.name} ${c.required ? TYPES[c.type] : `Nullable(${TYPES[c.type]})`}`)
  .join(', ');

export function peakRssBytes(pid: number | 'self'): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`No VmHWM for ${pid}`);
  return Number(match[1]) * 1024;
}

/** A migrated embedded warehouse in a fresh directory (what was there is removed first). */
export async function freshEngine(dir: string): Promise<Warehouse> {
  fs.rmSync(dir, { recursive: true, force: true });
  const warehouse = await createWarehouse({
    mode: 'embedded',
    path: path.join(dir, 'chdb'),
    poolSize: 1,
    database: 'kpi',
  });
  await migrate(warehouse);
  return warehouse;
}

async function main(dir: string, file: string): Promise<void> {
  const warehouse = await freshEngine(dir);
  await warehouse.command({ query: 'CREATE TABLE kpi.plain_raw AS kpi.sales_raw', params: {} });
  const columns = DATASET_KINDS.sales.columns.map((c) => c.name).join(', ');
  const started = Date.now();
  await warehouse.command(
    {
      query: `INSERT INTO kpi.plain_raw (${columns}, dataset, upload_id) SELECT *, 'plain', 'plain' FROM file({file:String}, 'CSVWithNames', {structure:String})`,
      params: { file, structure: TYPED_STRUCTURE },
    },
    { settings: { date_time_input_format: 'best_effort', input_format_with_names_use_header: 0 } },
  );
  const ms = Date.now() - started;
  const { rows } = await warehouse.query<{ n: string }>({
    query: 'SELECT count() AS n FROM kpi.plain_raw',
    params: {},
  });
  const hwmBytes = peakRssBytes('self');
  await warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ ms, rows: Number(rows[0]?.n), hwmBytes }));
}

if (require.main === module) {
  const [dir, file] = process.argv.slice(2);
  if (!dir || !file) throw new Error('usage: plain-load.js <dir> <csv>');
  main(dir, file).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
