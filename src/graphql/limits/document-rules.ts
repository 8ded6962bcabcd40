import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/limits-config';

/**
 * GraphQL Armor's document rules: depth, aliases and directives, as validation rules that each
 * remember the fragments they have counted (linear in the document). Tokens are bounded by
 * graphql-js's own parser option (`parseOptions`, see graphql-handler.ts): Armor's token plugin
 * throws from a hook Apollo answers with 500, the parser's limit is a 400 syntax error.
 * Depth counts fields only (fragments flattened): a KPI behind many nested fragments is as deep
 * as the same KPI written inline. Armor's generic cost rule is off; the analytics cost is ours
 * (cost-plugin.ts), and field suggestions stay (introspection is on anyway).
 */
export function documentRules(limits: LimitsConfig['document']): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin[],
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
