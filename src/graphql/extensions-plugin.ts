import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context';

/** Adds `extensions.kpi` (data versions, freshness, cache, ClickHouse work) to every response that read KPIs. */
export const kpiExtensionsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || contextValue.stats.isEmpty) return;
        response.body.singleResult.extensions = {
          ...response.body.singleResult.extensions,
          kpi: contextValue.stats.toJSON(),
        };
      },
    };
  },
};
