import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

/** Bounds on the shape of one operation; a violation is refused before any subgraph is called. */
export type OperationLimits = {
  /** Deepest selection-set nesting (introspection's `__schema` is exempt). */
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens in the document, enforced by the parser itself. */
  maxTokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, multiplied by depth (introspection exempt). */
  maxCost: number;
  maxDirectives: number;
  /** "Did you mean …?" hints reveal field names a caller did not ask about. */
  canSuggestFields: boolean;
};

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 5000,
  maxDirectives: 50,
  canSuggestFields: false,
};

type LimitsConfig<Context extends BaseContext> = {
  plugins: ApolloServerPlugin<Context>[];
  validationRules: ValidationRule[];
  parseOptions: NonNullable<ApolloServerOptions<Context>['parseOptions']>;
  hideSchemaDetailsFromClientErrors: boolean;
};

/**
 * Apollo Server settings enforcing the limits. Depth, aliases, cost and directives are
 * graphql-armor validation rules: a violation is a GRAPHQL_VALIDATION_FAILED error (HTTP 400)
 * whose message states the limit. Tokens use graphql-js's own `maxTokens` parse option instead
 * of armor's Apollo plugin, which throws from a hook and turns every rejected or malformed
 * document into an HTTP 500 (graphql-armor issues #571, #751); the parser reports a
 * GRAPHQL_PARSE_FAILED error with HTTP 400.
 */
export function createOperationLimits<Context extends BaseContext>(
  limits: OperationLimits,
): LimitsConfig<Context> {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.canSuggestFields },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin<Context>[],
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    hideSchemaDetailsFromClientErrors: !limits.canSuggestFields,
  };
}
