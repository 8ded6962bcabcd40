import path from 'node:path';
import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { replicatedLoadSettings } from '../../src/ingest/load-statement';
import { StagedLoad, stageTable, type StagedLoadDeps } from '../../src/ingest/staged-load';
import { UploadRowsRepository } from '../../src/ingest/upload-rows.repository';
import type { Upload } from '../../src/datasets/upload';
import type { Warehouse } from '../../src/warehouse/warehouse';
import {
  defaultMigrationsDir,
  migrationTableStatements,
  readMigrations,
  statementsOf,
} from '../../src/warehouse/migrations';

/**
 * clickhouse/migrations/cluster/ (CLICKHOUSE_CLUSTER): the same versions as the single-node
 * migrations, with replicated engines, ON CLUSTER DDL and Distributed tables under the names the
 * planner reads. test/integration/cluster-ddl.test.ts has ClickHouse's own parser read them.
 */
const CLUSTER = 'kpi_cluster';
const single = readMigrations(defaultMigrationsDir());
const cluster = readMigrations(defaultMigrationsDir(CLUSTER));
const statements = cluster.flatMap((m) =>
  statementsOf(m, 'kpi', CLUSTER).map((s) => ({
    migration: `${m.version}_${m.name}`,
    text: s.compile().query,
  })),
);

describe('cluster migrations', () => {
  test('the cluster folder is selected by the cluster name', () => {
    expect(defaultMigrationsDir(CLUSTER)).toBe(path.join(defaultMigrationsDir(), 'cluster'));
  });

  test('every single-node migration has a cluster counterpart of the same version and name', () => {
    const missing = single
      .filter((m) => !cluster.some((c) => c.version === m.version && c.name === m.name))
      .map((m) => `cluster/${String(m.version).padStart(4, '0')}_${m.name}.up.sql`);
    // Names what is missing, e.g. a rollup migration added to clickhouse/migrations/ alone.
    expect({ missingInClusterFolder: missing }).toEqual({ missingInClusterFolder: [] });
    expect(cluster.map((m) => m.version)).toEqual(single.map((m) => m.version));
  });

  test('every DDL statement runs ON CLUSTER, and no placeholder is left', () => {
    expect(statements.length).toBeGreaterThan(15);
    for (const { migration, text } of statements) {
      expect({ migration, text, onCluster: /\bON CLUSTER kpi_cluster\b/.test(text) }).toMatchObject({
        onCluster: true,
      });
      expect(text).not.toContain('{{');
    }
  });

  test('every MergeTree is replicated, per shard or on every node, with the replica macro', () => {
    const engines = statements.flatMap(({ text }) => [...text.matchAll(/ENGINE = (\w+)(\([^)]*\))?/g)]);
    expect(engines.length).toBeGreaterThan(10);
    for (const [engine, name, args] of engines) {
      if (name === 'Distributed') continue;
      expect(name).toMatch(/^Replicated(Replacing|Aggregating)?MergeTree$/);
      expect({ engine, path: args }).toMatchObject({
        path: expect.stringMatching(
          /^\('\/clickhouse\/tables\/(\{shard\}|all)\/\{database\}\/\{table\}', '\{replica\}'/,
        ),
      });
    }
  });

  test('the tables the planner reads exist under the same names: Distributed over *_local with a stated key', () => {
    const distributed = new Map(
      statements.flatMap(({ text }) => {
        const m =
          /CREATE TABLE IF NOT EXISTS kpi\.(\w+) ON CLUSTER kpi_cluster\s+AS kpi\.(\w+)\s+ENGINE = Distributed\(kpi_cluster, kpi, (\w+), (.+)\)$/s.exec(
            text,
          );
        return m ? [[m[1], { local: m[3], key: m[4] }]] : [];
      }),
    );
    expect(Object.fromEntries(distributed)).toEqual({
      sales_raw: { local: 'sales_raw_local', key: 'cityHash64(dataset, toStartOfHour(time))' },
      sales_hourly: { local: 'sales_hourly_local', key: 'cityHash64(dataset, hour)' },
      sales_daily: { local: 'sales_daily_local', key: 'cityHash64(dataset, day)' },
      turnout_raw: {
        local: 'turnout_raw_local',
        key: 'cityHash64(dataset, electionId, toStartOfHour(time))',
      },
      turnout_hourly: { local: 'turnout_hourly_local', key: 'cityHash64(dataset, electionId, hour)' },
      ...Object.fromEntries(
        [
          'sales_q15',
          'sales_h1',
          'sales_d1',
          ...['branch', 'productLine', 'itemGroup', 'salesPerson'].map((d) => `sales_${d}_h`),
        ].map((t) => [t, { local: `${t}_local`, key: 'cityHash64(dataset, bucket)' }]),
      ),
    });
    const created = new Set(
      statements.flatMap(({ text }) => /^CREATE TABLE IF NOT EXISTS kpi\.(\w+)/.exec(text)?.[1] ?? []),
    );
    for (const kind of Object.values(DATASET_KINDS))
      for (const table of [kind.rawTable, ...kind.rollups.map((r) => r.table)])
        expect(created).toContain(table);
    // The registry is joined to every turnout query: one copy on every node, joined locally.
    const registry = statements.find(({ text }) => text.includes('kpi.constituencies_raw ON CLUSTER'));
    expect(registry?.text).toContain(
      "ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')",
    );
  });

  test('the rollup views read and write the local tables of their shard', () => {
    const views = statements.filter(({ text }) => text.startsWith('CREATE MATERIALIZED VIEW'));
    expect(views.map(({ text }) => /TO kpi\.(\w+) AS[\s\S]*FROM kpi\.(\w+)/.exec(text)?.slice(1))).toEqual([
      ['sales_hourly_local', 'sales_raw_local'],
      ['turnout_hourly_local', 'turnout_raw_local'],
      ['sales_daily_local', 'sales_hourly_local'],
      // 0007: the daily dimensionless rollup cascades from the hourly one; the rest read raw.
      ['sales_d1_local', 'sales_h1_local'],
      ...[
        'sales_q15',
        'sales_h1',
        ...['branch', 'productLine', 'itemGroup', 'salesPerson'].map((d) => `sales_${d}_h`),
      ].map((t) => [`${t}_local`, 'sales_raw_local']),
      // 0008: the all-dimension daily rollup is fed from raw, the hourly one dropped.
      ['sales_daily_local', 'sales_raw_local'],
      // 0009: the dimensionless hourly and daily views again, with branch and salesPerson states.
      ['sales_d1_local', 'sales_h1_local'],
      ['sales_h1_local', 'sales_raw_local'],
    ]);
  });

  test('a cluster migration without a cluster name is refused', () => {
    const [first] = cluster;
    expect(first).toBeDefined();
    if (first) expect(() => statementsOf(first, 'kpi')).toThrow(/set CLICKHOUSE_CLUSTER/);
  });

  test('the migration record is replicated to every node on a cluster', () => {
    expect(
      migrationTableStatements('kpi', CLUSTER).map((s) => s.compile().query.replace(/\s+/g, ' ')),
    ).toEqual([
      'CREATE DATABASE IF NOT EXISTS kpi ON CLUSTER kpi_cluster',
      "CREATE TABLE IF NOT EXISTS kpi.schema_migrations ON CLUSTER kpi_cluster (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}') ORDER BY version",
    ]);
    expect(migrationTableStatements('kpi').map((s) => s.compile().query)).toHaveLength(2);
  });

  test('a load on replicated tables is deduplicated per attempt and per table written', () => {
    expect(replicatedLoadSettings({ id: 'u-1', attempts: 2 }, 'sales_h1')).toEqual({
      insert_deduplicate: 1,
      insert_deduplication_token: 'u-1:2:sales_h1',
      distributed_foreground_insert: 1,
      insert_quorum: 'auto',
    });
  });

  test('0010 drops every rollup view the earlier migrations created: loads fill the rollups', () => {
    const created = statements.flatMap(
      ({ text }) => /^CREATE MATERIALIZED VIEW IF NOT EXISTS kpi\.(\w+) ON CLUSTER/.exec(text)?.[1] ?? [],
    );
    const dropped = statements
      .filter(({ migration }) => migration.startsWith('10_'))
      .flatMap(({ text }) => /^DROP VIEW IF EXISTS kpi\.(\w+) ON CLUSTER kpi_cluster$/.exec(text)?.[1] ?? []);
    expect(new Set(dropped)).toEqual(new Set(created.filter((v) => v !== 'sales_hourly_mv')));
  });

  test('a staged load on a cluster: the stage is local to the node, every write goes through a Distributed table', () => {
    const warehouse = { database: 'kpi' } as Warehouse;
    const staged = new StagedLoad({ warehouse, cluster: CLUSTER } as StagedLoadDeps);
    const stage = stageTable('0b9e7a6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c');
    expect(stage).toBe('upload_stage_0b9e7a6c_1d2e_4f3a_8b4c_5d6e7f8a9b0c');
    expect(staged.createStage(DATASET_KINDS.sales, stage).compile().query).toBe(
      `CREATE TABLE kpi.${stage} AS kpi.sales_raw_local ENGINE = MergeTree ORDER BY tuple() SETTINGS max_bytes_to_merge_at_max_space_in_pool = 1, max_bytes_to_merge_at_min_space_in_pool = 1`,
    );
    expect(staged.moveStatement(DATASET_KINDS.sales, stage).compile().query).toBe(
      `INSERT INTO kpi.sales_raw SELECT * FROM kpi.${stage}`,
    );
    // One node: the stage has the raw table's engine and keys, and its parts are attached.
    const single = new StagedLoad({ warehouse } as StagedLoadDeps);
    expect(single.createStage(DATASET_KINDS.sales, stage).compile().query).toBe(
      `CREATE TABLE kpi.${stage} AS kpi.sales_raw SETTINGS max_bytes_to_merge_at_max_space_in_pool = 1, max_bytes_to_merge_at_min_space_in_pool = 1`,
    );
    expect(single.moveStatement(DATASET_KINDS.sales, stage).compile().query).toBe(
      `ALTER TABLE kpi.sales_raw ATTACH PARTITION ALL FROM kpi.${stage}`,
    );
    expect(() => stageTable('x; DROP TABLE y')).toThrow(/Not an upload id/);
  });

  test("a failed load's rows are deleted from every shard's local tables (a Distributed table takes no mutation)", () => {
    // Only the statement is built here: no warehouse is reached.
    const warehouse = { database: 'kpi' } as Warehouse;
    const text = (kind: Upload['kind'], table: string, cluster?: string) =>
      new UploadRowsRepository(warehouse, cluster)
        .deleteStatement({ kind, dataset: 'd', id: 'u-1' } as Upload, table)
        .compile().query;
    expect(text('sales', 'sales_hourly', CLUSTER)).toMatch(
      /^ALTER TABLE kpi\.sales_hourly_local ON CLUSTER kpi_cluster DELETE WHERE dataset = \{\w+:String\} AND upload_id = \{\w+:String\}$/,
    );
    expect(text('constituencies', 'constituencies_raw', CLUSTER)).toMatch(
      /^ALTER TABLE kpi\.constituencies_raw DELETE WHERE/,
    );
    expect(text('sales', 'sales_raw')).toMatch(/^ALTER TABLE kpi\.sales_raw DELETE WHERE/);
  });
});
