import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { param, sql, trustedIdentifier, trustedSql, trustedTable, type Sql } from './sql';
import type { Warehouse } from './warehouse';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
  readonly checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.up\.sql$/;

/**
 * `clickhouse/migrations` at the repository root, found from either src/ or dist/src/; with a
 * cluster name (CLICKHOUSE_CLUSTER), its `cluster/` folder: the same versions with replicated,
 * sharded tables and `ON CLUSTER` DDL (docs/scaling.md).
 */
export function defaultMigrationsDir(cluster?: string): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'clickhouse', 'migrations');
    if (fs.existsSync(candidate)) return cluster ? path.join(candidate, 'cluster') : candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`clickhouse/migrations not found above ${__dirname}`);
}

export function readMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((file) => {
      const [, version, name] = FILE.exec(file) ?? [];
      if (version === undefined || name === undefined) return [];
      const up = fs.readFileSync(path.join(dir, file), 'utf8');
      return [
        { version: Number(version), name, up, checksum: createHash('sha256').update(up).digest('hex') },
      ];
    });
}

/**
 * Statements of one file, with the database name and, for cluster migrations, the cluster name
 * (validated identifiers from config) filled in. `{shard}`, `{replica}`, `{database}` and `{table}`
 * (single braces) are ClickHouse's own macros, expanded by each server. Migration files are SQL our
 * own repository holds, so they enter as trusted text.
 */
export function statementsOf(migration: Migration, database: string, cluster?: string): Sql[] {
  const db = trustedIdentifier(database).compile().query;
  if (migration.up.includes('{{cluster}}') && !cluster)
    throw new Error(
      `Migration ${migration.version}_${migration.name} is for a cluster: set CLICKHOUSE_CLUSTER`,
    );
  return migration.up
    .replaceAll('{{database}}', db)
    .replaceAll('{{cluster}}', cluster ? trustedIdentifier(cluster).compile().query : '{{cluster}}')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0)
    .map(trustedSql);
}

/**
 * Applies pending migrations in order and records each in `schema_migrations`. A recorded
 * migration whose file changed since is an error: migrations are never edited, only added.
 */
export async function migrate(
  warehouse: Warehouse,
  migrations?: Migration[],
  cluster?: string,
): Promise<Migration[]> {
  const table = trustedTable(warehouse.database, 'schema_migrations');
  for (const statement of migrationTableStatements(warehouse.database, cluster))
    await warehouse.command(statement);
  const pending = migrations ?? readMigrations(defaultMigrationsDir(cluster));
  const { rows } = await warehouse.query<{ version: number; checksum: string }>(
    sql`SELECT version, checksum FROM ${table} ORDER BY version`,
  );
  const applied = new Map(rows.map((row) => [Number(row.version), row.checksum]));
  const done: Migration[] = [];
  for (const migration of pending) {
    const recorded = applied.get(migration.version);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new Error(
          `Migration ${migration.version}_${migration.name} was edited after it was applied; add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of statementsOf(migration, warehouse.database, cluster))
      await warehouse.command(statement);
    await warehouse.command(
      sql`INSERT INTO ${table} (version, name, checksum)
          VALUES (${param(migration.version, 'UInt32')}, ${migration.name}, ${migration.checksum})`,
    );
    done.push(migration);
  }
  return done;
}

/**
 * The database and the record of applied migrations. On a cluster both exist on every node, and
 * the record is replicated to all of them (no shard in its path), so a runner reaching any node
 * sees the same history.
 */
export function migrationTableStatements(database: string, cluster?: string): Sql[] {
  const db = trustedIdentifier(database);
  const table = trustedTable(database, 'schema_migrations');
  const columns = trustedSql(
    "version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)",
  );
  if (!cluster)
    return [
      sql`CREATE DATABASE IF NOT EXISTS ${db}`,
      sql`CREATE TABLE IF NOT EXISTS ${table} (${columns}) ENGINE = MergeTree ORDER BY version`,
    ];
  const on = trustedIdentifier(cluster);
  return [
    sql`CREATE DATABASE IF NOT EXISTS ${db} ON CLUSTER ${on}`,
    sql`CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${on} (${columns})
        ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}') ORDER BY version`,
  ];
}
