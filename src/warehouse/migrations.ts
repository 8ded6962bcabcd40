import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, assertIdentifier } from './sql';
import type { Warehouse } from './warehouse';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
  readonly checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.up\.sql$/;

/** `clickhouse/migrations` at the repository root, found from either src/ or dist/src/. */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'clickhouse', 'migrations');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`clickhouse/migrations not found above ${__dirname}`);
}

export function readMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => FILE.test(file))
    .sort()
    .map((file) => {
      const [, version, name] = FILE.exec(file)!;
      const up = fs.readFileSync(path.join(dir, file), 'utf8');
      return { version: Number(version), name, up, checksum: createHash('sha256').update(up).digest('hex') };
    });
}

/** Statements of one file, with the database name (a validated identifier from config) filled in. */
export function statementsOf(migration: Migration, database: string): string[] {
  const db = assertIdentifier(database);
  return migration.up
    .replaceAll('{{database}}', db)
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}

/**
 * Applies pending migrations in order and records each in `schema_migrations`. A recorded
 * migration whose file changed since is an error: migrations are never edited, only added.
 */
export async function migrate(
  warehouse: Warehouse,
  migrations: Migration[] = readMigrations(),
): Promise<Migration[]> {
  const db = assertIdentifier(warehouse.database);
  await warehouse.command(sql(`CREATE DATABASE IF NOT EXISTS ${db}`));
  await warehouse.command(
    sql(`CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`),
  );
  const { rows } = await warehouse.query<{ version: number; checksum: string }>(
    sql(`SELECT version, checksum FROM ${db}.schema_migrations ORDER BY version`),
  );
  const applied = new Map(rows.map((row) => [Number(row.version), row.checksum]));
  const done: Migration[] = [];
  for (const migration of migrations) {
    const recorded = applied.get(migration.version);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new Error(
          `Migration ${migration.version}_${migration.name} was edited after it was applied; add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of statementsOf(migration, db)) await warehouse.command(sql(statement));
    await warehouse.command(
      sql(
        `INSERT INTO ${db}.schema_migrations (version, name, checksum) VALUES ({version:UInt32}, {name:String}, {checksum:String})`,
        {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
        },
      ),
    );
    done.push(migration);
  }
  return done;
}
