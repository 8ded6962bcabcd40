import fs from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/config';
import { sql, trustedIdentifier, trustedSql } from './sql';
import { EMBEDDED_SESSION_SETTINGS, Warehouse } from './warehouse';

/**
 * One code path for both modes: `@clickhouse/client` over HTTP to a ClickHouse server, or the
 * same client over `chdb/connection` (in-process engine) when CLICKHOUSE_URL is unset.
 */
export async function createWarehouse(clickhouse: Config['clickhouse']): Promise<Warehouse> {
  if (clickhouse.mode === 'server') {
    const client = createClient({
      url: clickhouse.url,
      username: clickhouse.user,
      password: clickhouse.password,
      max_open_connections: 32,
      request_timeout: 300_000,
    });
    return new Warehouse([client], clickhouse.database, 'server');
  }
  fs.mkdirSync(clickhouse.path, { recursive: true });
  // Loaded lazily so a server deployment never maps the 500 MB engine into memory.
  const { createChdbConnection } = await import('chdb/connection');
  const { drainPending } = await import('chdb');
  const clients: ClickHouseClient[] = [];
  for (let i = 0; i < clickhouse.poolSize; i += 1) {
    const client = createClient({ connection: createChdbConnection({ path: clickhouse.path }) } as Parameters<
      typeof createClient
    >[0]);
    // A session keeps what is SET on it: done once here rather than before every query.
    // SET takes no bound value; the names and numbers are our own constants.
    for (const [name, value] of Object.entries(EMBEDDED_SESSION_SETTINGS)) {
      const statement = sql`SET ${trustedIdentifier(name)} = ${trustedSql(String(Number(value)))}`;
      await client.command({ query: statement.compile().query });
    }
    clients.push(client);
  }
  return new Warehouse(clients, clickhouse.database, 'embedded', () => drainPending());
}
