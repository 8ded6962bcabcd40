import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { CatalogResolver } from './resolvers/catalog.resolver';
import { KpiCatalogResolver } from './resolvers/kpi-catalog.resolver';
import { SalesReportResolver } from './resolvers/sales-report.resolver';
import { TurnoutReportResolver } from './resolvers/turnout-report.resolver';

let schema: GraphQLSchema | undefined;

/** Built once per process; the same schema is served and printed to schema.graphql. */
export function gatewaySchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchemaSync({ resolvers: [SalesReportResolver, TurnoutReportResolver, CatalogResolver, KpiCatalogResolver], validate: { forbidUnknownValues: false } });
    schema.getQueryType()!.description = 'KPIs over uploaded CSV data, the datasets they come from and the upload ledger.';
  }
  return schema;
}

/** The committed contract: sorted, so diffs show real changes only. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchema()))}\n`;
}
