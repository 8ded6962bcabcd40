import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { sql } from '../../src/warehouse/sql';

/**
 * Run as a child process after a benchmark data directory is loaded (chDB allows one data path
 * per process). A gateway stopped right after a big upload leaves the rollup in many unmerged
 * parts (measured: 3.0 M rollup rows for 10 M raw rows, where fully merged it holds ~0.65 M);
 * background merges would get there only while some process keeps the path open. Merging now
 * makes every scenario measure the same, steady state: what a long-running server converges to.
 */
async function settle(chdbPath: string): Promise<void> {
  const warehouse = await createWarehouse({ mode: 'embedded', path: chdbPath, poolSize: 1, database: 'kpi' });
  try {
    for (const table of ['sales_raw', 'sales_hourly']) await warehouse.command(sql(`OPTIMIZE TABLE kpi.${table} FINAL`));
  } finally {
    await warehouse.close();
  }
}

settle(process.argv[2]).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
