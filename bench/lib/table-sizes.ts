import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { trustedSql } from '../../src/warehouse/sql';

/**
 * Run as a child process on a stopped gateway's data directory (chDB allows one data path per
 * process): prints the active parts of every table as one `SIZES {json}` line, as loaded; with
 * `settle`, merges the sales rollups (OPTIMIZE FINAL: what a long-running server converges to)
 * and prints a second line after it.
 */
export interface TableSize {
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
  readonly parts: number;
}

async function sizes(chdbPath: string | undefined, mode: string): Promise<void> {
  if (!chdbPath) throw new Error('usage: table-sizes <chdb path> [measure|settle]');
  const warehouse = await createWarehouse({ mode: 'embedded', path: chdbPath, poolSize: 1, database: 'kpi' });
  const measure = async (label: string) => {
    const { rows } = await warehouse.query<{ table: string; rows: string; bytes: string; parts: string }>(
      trustedSql(
        `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
           FROM system.parts WHERE database = 'kpi' AND active GROUP BY table ORDER BY table`,
      ),
    );
    const out: TableSize[] = rows.map((r) => ({
      table: r.table,
      rows: Number(r.rows),
      bytes: Number(r.bytes),
      parts: Number(r.parts),
    }));
    console.log(`SIZES ${JSON.stringify({ label, tables: out })}`);
  };
  try {
    await measure('as loaded');
    if (mode === 'settle') {
      const started = Date.now();
      for (const level of DATASET_KINDS.sales.rollups)
        await warehouse.command(trustedSql(`OPTIMIZE TABLE kpi.${level.table} FINAL`));
      console.log(`SETTLED ${Date.now() - started}`);
      await measure('merged');
    }
  } finally {
    await warehouse.close();
  }
}

sizes(process.argv[2], process.argv[3] ?? 'measure').then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
