import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type PubSub } from 'type-graphql';
import { DataChangeResolver } from './resolvers/data-change.resolver';
import { DatasetResolver } from './resolvers/dataset.resolver';
import { KpiCatalogResolver } from './resolvers/kpi-catalog.resolver';
import { SalesReportResolver } from './resolvers/sales-report.resolver';
import { TurnoutReportResolver } from './resolvers/turnout-report.resolver';
import { UploadResolver } from './resolvers/upload.resolver';

let schema: GraphQLSchema | undefined;

/**
 * type-graphql insists on a PubSub once there is a subscription; ours supply their own streams
 * (`subscribe`, from the dataset directory, which hears every replica), so topics stay unused.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Subscriptions publish through the dataset directory, not topics');
  },
  subscribe: () => {
    throw new Error('Subscriptions read the dataset directory, not topics');
  },
};

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
        DataChangeResolver,
      ],
      validate: { forbidUnknownValues: false },
      pubSub: NO_TOPICS,
    });
    schema.getQueryType()!.description =
      'KPIs over uploaded CSV data, the datasets they come from and the upload ledger.';
    schema.getMutationType()!.description =
      'Uploads: presigned direct-to-storage uploads, starting and retrying loads.';
    schema.getSubscriptionType()!.description =
      'Live notices over graphql-ws (WebSocket at /graphql): what changed, so clients re-query.';
  }
  return schema;
}

/** The committed contract: sorted, so diffs show real changes only. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchema()))}\n`;
}
