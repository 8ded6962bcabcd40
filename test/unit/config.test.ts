import path from 'node:path';
import { loadConfig } from '../../src/config/config';

describe('config', () => {
  test('nothing set → the embedded default, migrations on start, frozen', () => {
    const config = loadConfig({});
    expect(config.clickhouse).toEqual({
      mode: 'embedded',
      path: path.resolve('.data', 'chdb'),
      poolSize: 3,
      database: 'kpi',
    });
    expect(config.s3.mode).toBe('embedded');
    expect(config.migrateOnStart).toBe(true);
    expect(config.port).toBe(4000);
    expect(Object.isFrozen(config.s3)).toBe(true);
  });

  test('server mode from env; migrations then run with `npm run migrate` unless asked', () => {
    const config = loadConfig({
      CLICKHOUSE_URL: 'http://ch:8123',
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
      REDIS_URL: 'redis://r:6379',
    });
    expect(config.clickhouse).toMatchObject({ mode: 'server', url: 'http://ch:8123' });
    expect(config.s3).toMatchObject({
      mode: 'external',
      endpoint: 'http://minio:9000',
      endpointForClickHouse: 'http://minio:9000',
    });
    expect(config.migrateOnStart).toBe(false);
    expect(config.cache.redisUrl).toBe('redis://r:6379');
  });

  test('the embedded store has no default key pair; keys come both or not at all', () => {
    const config = loadConfig({});
    expect(config.s3.accessKeyId).toBeUndefined();
    expect(config.s3.secretAccessKey).toBeUndefined();
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(loadConfig({ S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }).s3).toMatchObject({
      mode: 'embedded',
      accessKeyId: 'k',
    });
  });

  test('timeouts, shutdown bound and clean-up grace have defaults and can be set', () => {
    const defaults = loadConfig({});
    expect(defaults.uploadBody).toEqual({ idleMs: 30_000, totalMs: 3_600_000 });
    expect(defaults.load).toEqual({ s3TimeoutMs: 30_000, maxSeconds: 3600 });
    expect(defaults.lifecycle).toEqual({
      shutdownTimeoutMs: 10_000,
      readyCheckTimeoutMs: 2000,
      orphanGraceSeconds: 86_400,
    });
    const set = loadConfig({ UPLOAD_BODY_IDLE_TIMEOUT_MS: '500', SHUTDOWN_TIMEOUT_MS: '3000' });
    expect(set.uploadBody.idleMs).toBe(500);
    expect(set.lifecycle.shutdownTimeoutMs).toBe(3000);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  test('a bad value fails fast, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ CLICKHOUSE_DATABASE: 'kpi; drop' })).toThrow(
      /CLICKHOUSE_DATABASE: must be a plain identifier/,
    );
    expect(() => loadConfig({ S3_ENDPOINT: 'http://minio:9000' })).toThrow(
      /S3_ACCESS_KEY_ID: required when S3_ENDPOINT is set/,
    );
  });

  test('CSV bounds: sane defaults, settable, a field never longer than a line', () => {
    expect(loadConfig({}).csv).toEqual({ maxLineBytes: 1048576, maxFieldBytes: 65536, maxColumns: 1000 });
    expect(
      loadConfig({ CSV_MAX_LINE_BYTES: '200000', CSV_MAX_FIELD_BYTES: '1000000', CSV_MAX_COLUMNS: '64' }).csv,
    ).toEqual({ maxLineBytes: 200000, maxFieldBytes: 200000, maxColumns: 64 });
    expect(() => loadConfig({ CSV_MAX_COLUMNS: '0' })).toThrow(/CSV_MAX_COLUMNS/);
    expect(() => loadConfig({ CSV_MAX_LINE_BYTES: 'lots' })).toThrow(/CSV_MAX_LINE_BYTES/);
  });
});
