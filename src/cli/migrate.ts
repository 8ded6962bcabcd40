import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createWarehouse } from '../warehouse/create-warehouse';
import { migrate } from '../warehouse/migrations';

/** `npm run migrate`: applies pending ClickHouse migrations to the configured warehouse. */
async function main(): Promise<void> {
  const config = loadConfig();
  const warehouse = await createWarehouse(config.clickhouse);
  try {
    const cluster = config.clickhouse.mode === 'server' ? config.clickhouse.cluster : undefined;
    const applied = await migrate(warehouse, undefined, cluster);
    process.stdout.write(
      applied.length === 0
        ? 'Nothing to apply.\n'
        : applied.map((m) => `applied ${m.version}_${m.name}\n`).join(''),
    );
  } finally {
    await warehouse.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
