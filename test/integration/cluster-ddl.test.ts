import { defaultMigrationsDir, readMigrations, statementsOf } from '../../src/warehouse/migrations';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { openWarehouse } from '../support/test-stack';

/**
 * No ClickHouse cluster runs here, so the cluster migrations are not applied; ClickHouse's own
 * parser (chDB's `formatQuery`) reads every statement, so a syntax error in a file that no
 * test machine executes is still caught. What a cluster would do with them is not exercised.
 */
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(1);
});

afterAll(async () => {
  await warehouse
    ?.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(warehouse.database)}`)
    .catch(() => undefined);
  await warehouse?.close();
});

const statements = readMigrations(defaultMigrationsDir('kpi_cluster')).flatMap((m) =>
  statementsOf(m, 'kpi', 'kpi_cluster').map((statement) => [`${m.version}_${m.name}`, statement] as const),
);

test.each(statements.map(([name, statement], i) => [`${name} #${i + 1}`, statement]))(
  'ClickHouse parses %s',
  async (_name, statement) => {
    const text = statement.compile().query;
    const { rows } = await warehouse.query<{ formatted: string }>(
      sql`SELECT formatQuery(${text}) AS formatted`,
    );
    // Parsed whole: the cluster clause and the engine survive ClickHouse's own formatting.
    expect(rows[0]?.formatted).toMatch(/ON CLUSTER kpi_cluster/);
  },
);
