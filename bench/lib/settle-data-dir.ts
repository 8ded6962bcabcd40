import { DATASET_KINDS, tablesOf } from '../../src/datasets/dataset-kinds';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { migrate } from '../../src/warehouse/migrations';
import { trustedSql } from '../../src/warehouse/sql';

/**
 * Run as a child process (chDB allows one data path per process) on a benchmark data directory:
 * - `loaded`, right after the file was uploaded: a gateway stopped right after a big upload leaves
 *   the rollups in many unmerged parts (measured: 3.0 M hourly rows for 10 M raw rows, where fully
 *   merged it holds ~0.65 M); background merges would get there only while some process keeps the
 *   path open. Merging now makes every scenario measure the same, steady state: what a
 *   long-running server converges to.
 * - `upgrade`, on a directory loaded by an older version: applies the new migrations (a new rollup
 *   is backfilled from the existing data) and merges the rollups the same way.
 */
async function settle(chdbPath: string | undefined, mode: string): Promise<void> {
  if (!chdbPath) throw new Error('usage: settle-data-dir <chdb path> [loaded|upgrade]');
  if (mode !== 'loaded' && mode !== 'upgrade') throw new Error(`Unknown mode ${mode}: loaded or upgrade`);
  const warehouse = await createWarehouse({ mode: 'embedded', path: chdbPath, poolSize: 1, database: 'kpi' });
  try {
    const applied = await migrate(warehouse);
    if (applied.length > 0)
      console.log(`  applied migrations ${applied.map((m) => `${m.version}_${m.name}`).join(', ')}`);
    const sales = DATASET_KINDS.sales;
    const tables = mode === 'loaded' ? tablesOf(sales) : sales.rollups.map((level) => level.table);
    for (const table of tables) await warehouse.command(trustedSql(`OPTIMIZE TABLE kpi.${table} FINAL`));
  } finally {
    await warehouse.close();
  }
}

settle(process.argv[2], process.argv[3] ?? 'loaded').then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
