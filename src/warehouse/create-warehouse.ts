import fs from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/config';
import { DEFAULT_LIMITS, type LimitsConfig } from '../config/limits-config';
import { sql, trustedIdentifier, trustedSql } from './sql';
import { EMBEDDED_SESSION_SETTINGS, Warehouse, type WarehouseBounds } from './warehouse';

/**
 * One code path for both modes: `@clickhouse/client` over HTTP to a ClickHouse server, or the
 * same client over `chdb/connection` (in-process engine) when CLICKHOUSE_URL is unset.
 */
export async function createWarehouse(
  clickhouse: Config['clickhouse'],
  limits: LimitsConfig = DEFAULT_LIMITS,
): Promise<Warehouse> {
  const bounds: WarehouseBounds = {
    queryTimeoutSeconds: limits.load.queryTimeoutSeconds,
    queryMemoryBytes: limits.memory.chdbQueryBytes,
    queueMax: limits.load.warehouseQueueMax,
  };
  if (clickhouse.mode === 'server') {
    const client = createClient({
      url: clickhouse.url,
      username: clickhouse.user,
      password: clickhouse.password,
      max_open_connections: 32,
      request_timeout: 300_000,
    });
    return new Warehouse([client], clickhouse.database, 'server', { bounds });
  }
  fs.mkdirSync(clickhouse.path, { recursive: true });
  // Loaded lazily so a server deployment never maps the 500 MB engine into memory.
  const { createChdbConnection } = await import('chdb/connection');
  const { drainPending, Session } = await import('chdb');
  // The engine's memory for the whole process is server configuration, read once when the first
  // session at the path boots it: this session boots it with the cap and is kept open. (When the
  // process already runs the engine, as a test worker may, the engine keeps the cap it booted with.)
  const boot =
    limits.memory.chdbServerBytes > 0
      ? new Session(clickhouse.path, {
          connectionArgs: [`--max_server_memory_usage=${Math.trunc(limits.memory.chdbServerBytes)}`],
        })
      : undefined;
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
  return new Warehouse(clients, clickhouse.database, 'embedded', {
    bounds,
    onClose: async () => {
      boot?.close();
      await drainPending();
    },
  });
}
