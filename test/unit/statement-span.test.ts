import { sql, trustedSql, trustedTable } from '../../src/warehouse/sql';
import { statementSpan } from '../../src/warehouse/statement-span';

const warehouse = { database: 'kpi', mode: 'embedded' };

describe('a ClickHouse statement’s span', () => {
  test('named by operation and first table; every table listed; no bound value anywhere', () => {
    const statement = sql`SELECT sum(x) FROM ${trustedTable('kpi', 'sales_d1')} AS d
      JOIN (SELECT * FROM kpi.sales_h1 WHERE dataset = ${'secret-dataset'}) AS h USING (bucket)
      WHERE d.dataset = ${'secret-dataset'} AND d.bucket >= ${new Date('2031-05-06T00:00:00Z')}`;
    const [name, options] = statementSpan(statement.compile(), warehouse);
    expect(name).toBe('SELECT sales_d1');
    expect(options.attributes).toMatchObject({
      'db.system.name': 'clickhouse',
      'db.namespace': 'kpi',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'sales_d1',
      'kpi.clickhouse.tables': ['sales_d1', 'sales_h1'],
    });
    expect(JSON.stringify(options)).not.toMatch(/secret-dataset|2031/);
  });

  test('DDL and loads: IF [NOT] EXISTS is not a table; s3() is listed as a source', () => {
    const ddl = trustedSql('CREATE TABLE IF NOT EXISTS kpi.sales_q15 (x UInt8) ENGINE = Memory');
    expect(statementSpan(ddl.compile(), warehouse)[0]).toBe('CREATE sales_q15');
    const load = trustedSql(
      "INSERT INTO kpi.sales_raw SELECT * FROM s3('http://s3/x.csv', 'KEY', 'SECRET', 'CSV')",
    );
    const [name, options] = statementSpan(load.compile(), warehouse);
    expect(name).toBe('INSERT sales_raw');
    expect(options.attributes?.['kpi.clickhouse.tables']).toEqual(['sales_raw', 's3']);
    expect(JSON.stringify(options)).not.toMatch(/SECRET|KEY|x\.csv/);
  });

  test('a staging table named after an upload id keeps the span name short', () => {
    const stage = trustedSql(
      "INSERT INTO kpi.upload_stage_0b4c8a5e_1f2d_4c3b_9a8e_7d6c5b4a3f21 SELECT * FROM s3('u')",
    );
    expect(statementSpan(stage.compile(), warehouse)[0]).toBe('INSERT upload_stage_*');
  });
});
