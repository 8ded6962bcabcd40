import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from './context';

/**
 * Root fields whose answers depend only on the arguments and the datasets' data versions. The
 * upload ledger (`upload`, `uploads`) and `datasets` also show uploads still being received, whose
 * progress does not bump a data version, so they are never cached whole.
 */
const VERSIONED_ROOT_FIELDS = new Set(['sales', 'turnout', 'kpiCatalog']);
const META_FIELDS = new Set(['__typename']);

/**
 * A query whose root selects only versioned fields (and `__typename`), directly: no root
 * fragments and no directives, so what the root asks is visible without executing anything.
 */
export function isCacheableOperation(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  return rootFieldsCacheable(operation.selectionSet);
}

function rootFieldsCacheable(selectionSet: SelectionSetNode): boolean {
  let versioned = false;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return false;
    const name = selection.name.value;
    if (VERSIONED_ROOT_FIELDS.has(name)) versioned = true;
    else if (!META_FIELDS.has(name)) return false;
  }
  return versioned;
}

/** Marks the request's context when its operation's whole answer may be cached. */
export const cacheableOperationPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        contextValue.response.cacheable = operation !== undefined && isCacheableOperation(operation);
      },
    };
  },
};
