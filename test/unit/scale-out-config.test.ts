import { loadConfig } from '../../src/config/config';

const server = { CLICKHOUSE_URL: 'http://ch:8123' };

describe('scale-out settings', () => {
  test('CLICKHOUSE_CLUSTER selects the cluster schema of a ClickHouse server', () => {
    expect(loadConfig({ ...server, CLICKHOUSE_CLUSTER: 'kpi' }).clickhouse).toMatchObject({
      mode: 'server',
      cluster: 'kpi',
    });
    expect(loadConfig({ ...server, CLICKHOUSE_CLUSTER: '' }).clickhouse).not.toHaveProperty('cluster');
    expect(loadConfig(server).clickhouse).not.toHaveProperty('cluster');
  });

  test('a cluster name must be an identifier and needs a server', () => {
    expect(() => loadConfig({ ...server, CLICKHOUSE_CLUSTER: 'kpi; DROP' })).toThrow(/CLICKHOUSE_CLUSTER/);
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'kpi' })).toThrow(
      /CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL/,
    );
  });

  test('METRICS_TOKEN is long enough to be a secret', () => {
    expect(loadConfig({}).metrics).toEqual({});
    expect(loadConfig({ METRICS_TOKEN: '' }).metrics).toEqual({});
    const token = 'a'.repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ token });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
