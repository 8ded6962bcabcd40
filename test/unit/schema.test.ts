import fs from 'node:fs';
import path from 'node:path';
import { isObjectType, isInputObjectType, isEnumType } from 'graphql';
import { gatewaySchema, printGatewaySchema } from '../../src/graphql/schema';

describe('the GraphQL contract', () => {
  test('schema.graphql is exactly what the code generates (run `npm run schema` after changing types)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
    expect(printGatewaySchema()).toBe(committed);
  });

  test('every type, field, argument and enum value has a description', () => {
    const missing: string[] = [];
    for (const type of Object.values(gatewaySchema().getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type))
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  test('one typed field per sales KPI', () => {
    const kpis = gatewaySchema().getType('SalesKpis');
    expect(isObjectType(kpis) && Object.keys(kpis.getFields()).sort()).toEqual([
      'averageTransaction',
      'grossMargin',
      'grossProfit',
      'lineItems',
      'netSales',
      'netUnitsSold',
      'returnRate',
      'returnsValue',
      'totalCost',
      'totalRevenue',
      'transactions',
      'uniqueBranches',
      'uniqueCustomers',
      'uniqueProducts',
      'uniqueSalespeople',
      'unitsReturned',
      'unitsSold',
    ]);
  });
});
