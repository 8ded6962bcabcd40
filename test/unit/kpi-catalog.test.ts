import { graphql } from 'graphql';
import { datasetSupport } from '../../src/kpi/definitions/kpi-catalog';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import { createContext, type Services } from '../../src/graphql/context';
import { gatewaySchema } from '../../src/graphql/schema';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';

describe('KPI catalog', () => {
  test('every KPI with formula, unit, needs and shareability (snapshot: a changed definition is a reviewed change)', async () => {
    const services = { directory: new DatasetDirectory() } as unknown as Services;
    const result = await graphql({
      schema: gatewaySchema(),
      source:
        '{ kpiCatalog { id enumValue kind unit formula needs shareable description support { supported } } }',
      contextValue: createContext(services, 'test'),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchSnapshot();
  });

  test('over a whole dataset: supported, or MISSING_COLUMN naming the columns, or NO_DATA', () => {
    const kpi = (id: string) => kpiKind('sales').kpis.get(id)!;
    const dataset = {
      name: 'd',
      kind: 'sales' as const,
      columns: new Set(['time', 'grossRevenue', 'returnsValue']),
      completeColumns: new Set<string>(),
      rows: 10,
      loadedUploads: 1,
      dataVersion: 1,
      stateKey: 'state-1',
      lastIngestAt: null,
      createdAt: new Date(),
      hiddenUploads: new Set<string>(),
    };
    expect(datasetSupport(kpi('netSales'), dataset)).toBeNull();
    expect(datasetSupport(kpi('grossMargin'), dataset)).toMatchObject({
      reason: 'MISSING_COLUMN',
      missingColumns: ['totalCost'],
    });
    expect(datasetSupport(kpi('totalRevenue'), { ...dataset, rows: 0 })).toMatchObject({ reason: 'NO_DATA' });
  });
});
