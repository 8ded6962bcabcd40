import { randomBytes } from 'node:crypto';
import { trustedSql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';

/**
 * Runs `work` while every insert into the sales raw table fails, as in a server outage: a second
 * view on the raw table whose target table is gone. The view is dropped afterwards.
 */
export async function whileRawInsertsFail<T>(warehouse: Warehouse, work: () => Promise<T>): Promise<T> {
  const db = warehouse.database;
  const suffix = randomBytes(4).toString('hex');
  await warehouse.command(
    trustedSql(`CREATE TABLE ${db}.sink_${suffix} (dataset String) ENGINE = MergeTree ORDER BY dataset`),
  );
  await warehouse.command(
    trustedSql(
      `CREATE MATERIALIZED VIEW ${db}.failing_mv_${suffix} TO ${db}.sink_${suffix} AS SELECT dataset FROM ${db}.sales_raw`,
    ),
  );
  await warehouse.command(trustedSql(`DETACH TABLE ${db}.sink_${suffix}`));
  try {
    return await work();
  } finally {
    await warehouse.command(trustedSql(`DROP VIEW ${db}.failing_mv_${suffix}`));
  }
}
