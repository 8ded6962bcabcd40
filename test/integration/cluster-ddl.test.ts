import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { fillOrder, fillStatement } from '../../src/ingest/rollup-fill';
import { StagedLoad, stageTable, type StagedLoadDeps } from '../../src/ingest/staged-load';
import { defaultMigrationsDir, readMigrations, statementsOf } from '../../src/warehouse/migrations';
import { sql, trustedIdentifier, trustedTable } from '../../src/warehouse/sql';
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

test("ClickHouse parses a staged load's statements on a cluster: stage, fills, move, drop", async () => {
  const staged = new StagedLoad({ warehouse: { database: 'kpi' } as Warehouse } as StagedLoadDeps);
  const clustered = new StagedLoad({
    warehouse: { database: 'kpi' } as Warehouse,
    cluster: 'kpi_cluster',
  } as StagedLoadDeps);
  const kind = DATASET_KINDS.sales;
  const stage = stageTable('0b9e7a6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c');
  const fills = fillOrder(kind).map((level) =>
    fillStatement({
      kind,
      level,
      target: trustedTable('kpi', level.table),
      source: trustedTable('kpi', stage),
    }),
  );
  for (const statement of [
    clustered.createStage(kind, stage),
    clustered.moveStatement(kind, stage),
    staged.moveStatement(kind, stage),
    clustered.dropStage(stage),
    ...fills,
  ]) {
    const { query } = statement.compile();
    const { rows } = await warehouse.query<{ formatted: string }>(
      sql`SELECT formatQuery(${query}) AS formatted`,
    );
    expect(rows[0]?.formatted).toContain(stage);
  }
});
