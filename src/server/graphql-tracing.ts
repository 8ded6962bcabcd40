import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { GraphQLField, GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../graphql/context';
import { inSpan, tracingActive } from '../telemetry/spans';

/**
 * GraphQL in traces: one span per operation (started around Apollo's execution by the handler,
 * named here once the operation is known, as `query SalesOverview`), and one span per ROOT field
 * (`Query.sales`). Deeper fields get none: a dashboard answer resolves thousands of them, and the
 * ClickHouse statements under them already say where the time went.
 */
export const operationSpanPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    if (!tracingActive()) return {};
    const span = trace.getActiveSpan();
    return {
      async didResolveOperation({ operation, operationName }) {
        const type = operation?.operation ?? 'query';
        span?.updateName(operationName ? `${type} ${operationName}` : type);
        span?.setAttribute('graphql.operation.type', type);
        if (operationName) span?.setAttribute('graphql.operation.name', operationName);
      },
      async didEncounterErrors({ errors }) {
        span?.setAttribute('graphql.error.count', errors.length);
      },
    };
  },
};

const traced = new WeakSet<GraphQLSchema>();
type Field = GraphQLField<unknown, GatewayContext, Record<string, unknown>>;

/** Wraps the query and mutation root fields' resolvers in a span each (only while tracing is on). */
export function traceRootFields(schema: GraphQLSchema): GraphQLSchema {
  if (traced.has(schema)) return schema;
  traced.add(schema);
  for (const type of [schema.getQueryType(), schema.getMutationType()]) wrapFields(type);
  return schema;
}

function wrapFields(type: GraphQLObjectType | null | undefined): void {
  if (!type) return;
  for (const field of Object.values(type.getFields()) as Field[]) {
    const resolve = field.resolve ?? ((source) => (source as Record<string, unknown>)[field.name]);
    const name = `${type.name}.${field.name}`;
    field.resolve = (source, args, ctx, info) => {
      if (!tracingActive()) return resolve(source, args, ctx, info);
      const attributes = { 'graphql.field.name': field.name, 'graphql.field.path': String(info.path.key) };
      return inSpan(name, { attributes }, async () => resolve(source, args, ctx, info));
    };
  }
}
