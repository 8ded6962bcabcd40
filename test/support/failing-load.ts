import { randomBytes } from 'node:crypto';
import { trustedSql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';

/**
 * Runs `work` while every sales load fails half-way, as in a server outage: inserts into the
 * all-dimension daily rollup, which a load fills after the file is staged and the other rollups
 * are filled, violate a constraint added for the time being. What the load wrote before it is
 * left for the load's own clean-up to remove. The constraint is dropped afterwards.
 */
export async function whileLoadsFail<T>(warehouse: Warehouse, work: () => Promise<T>): Promise<T> {
  const db = warehouse.database;
  const name = `failing_${randomBytes(4).toString('hex')}`;
  await warehouse.command(trustedSql(`ALTER TABLE ${db}.sales_daily ADD CONSTRAINT ${name} CHECK 0`));
  try {
    return await work();
  } finally {
    await warehouse.command(trustedSql(`ALTER TABLE ${db}.sales_daily DROP CONSTRAINT ${name}`));
  }
}
