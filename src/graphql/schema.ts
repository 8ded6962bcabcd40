import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { DatasetResolver } from './resolvers/dataset.resolver';
import { KpiCatalogResolver } from './resolvers/kpi-catalog.resolver';
import { SalesReportResolver } from './resolvers/sales-report.resolver';
import { TurnoutReportResolver } from './resolvers/turnout-report.resolver';
import { UploadResolver } from './resolvers/upload.resolver';

let schema: GraphQLSchema | undefined;

/** Built once per process; the same schema is served and printed to schema.graphql. */
export function gatewaySchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchemaSync({
      resolvers: [
        SalesReportResolver,
        TurnoutReportResolver,
        DatasetResolver,
        KpiCatalogResolver,
        UploadResolver,
      ],
      validate: { forbidUnknownValues: false },
    });
    schema.getQueryType()!.description =
      'KPIs over uploaded CSV data, the datasets they come from and the upload ledger.';
    schema.getMutationType()!.description =
      'Uploads: presigned direct-to-storage uploads, starting and retrying loads.';
  }
  return schema;
}

/** The committed contract: sorted, so diffs show real changes only. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchema()))}\n`;
}
