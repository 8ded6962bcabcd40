import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { LimitsConfig } from '../../config/limits-config';
import { AppError, ErrorCode } from '../../errors/app-error';
import type { GatewayContext } from '../context';
import { costRefusal, operationCost } from './operation-cost';
import { plannedRequests } from './planned-queries';
import type { TokenBuckets } from './token-buckets';

/**
 * Prices every operation after validation and before execution: past a per-operation limit, or
 * past what the caller's budget has left in its window, the operation is refused whole and no
 * resolver (so no ClickHouse query) runs. Operations within bounds spend their cost units.
 */
export function costLimitPlugin(
  limits: LimitsConfig['cost'],
  budgets: TokenBuckets,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request, contextValue }) {
          const queryType = schema.getQueryType();
          if (!operation || !queryType) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const variables = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          // Variables that do not coerce are refused by execution with GraphQL's own error.
          if (!variables.coerced) return;
          let cost;
          try {
            const requests = plannedRequests(operation, fragments, queryType, variables.coerced);
            cost = operationCost(requests, limits.maxSeriesBuckets);
          } catch (error) {
            throw refusal(error, 400);
          }
          const tooMuch = costRefusal(cost, limits);
          if (tooMuch) throw refusal(tooMuch, 400);
          if (cost.units === 0) return;
          const take = budgets.take(contextValue.caller, cost.units);
          if (!take.ok) {
            const retryAfterSeconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
            const error = new AppError(
              ErrorCode.COST_LIMIT,
              `The operation costs ${cost.units} units; this caller's budget of ${limits.budgetUnits} units per ${limits.budgetWindowMs / 1000} s has ${Math.floor(budgets.available(contextValue.caller))} left. Retry after ${retryAfterSeconds} s.`,
              {
                details: {
                  figure: 'budget',
                  value: cost.units,
                  limit: limits.budgetUnits,
                  windowSeconds: limits.budgetWindowMs / 1000,
                  retryAfterSeconds,
                  cost,
                },
              },
            );
            throw refusal(error, 429, { 'retry-after': String(retryAfterSeconds) });
          }
        },
      };
    },
  };
}

/** Apollo answers a GraphQLError thrown here with its `extensions.http` status and headers; format-error.ts maps the AppError. */
function refusal(error: unknown, status: number, headers: Record<string, string> = {}): GraphQLError {
  if (!(error instanceof AppError)) throw error;
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status, headers: new HeaderMap(Object.entries(headers)) } },
  });
}
