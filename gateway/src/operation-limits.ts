import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { finiteNumbersRule } from './finite-numbers-rule.js';
import { type LimitName, limitExceededError } from './limit-errors.js';
import { maxDirectivesRule } from './max-directives-rule.js';
import { createVariableDepthPlugin } from './variable-depth.js';

/** Bounds on the shape of one operation; a violation is refused before any subgraph is called. */
export type OperationLimits = {
  /** Deepest selection-set nesting (introspection's `__schema` is exempt). */
  maxDepth: number;
  /** Every alias counts, `__typename` ones too (each is work for the gateway to answer). */
  maxAliases: number;
  /** Lexical tokens in the document, enforced by the parser itself. */
  maxTokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, multiplied by depth (introspection exempt). */
  maxCost: number;
  maxDirectives: number;
  /** Arrays/objects nested in one variable's value (see variable-depth.ts). */
  maxVariableDepth: number;
  /** "Did you mean …?" hints reveal field names a caller did not ask about. */
  canSuggestFields: boolean;
};

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 5000,
  maxDirectives: 50,
  maxVariableDepth: 32,
  canSuggestFields: false,
};

type LimitsConfig<Context extends BaseContext> = {
  plugins: ApolloServerPlugin<Context>[];
  validationRules: ValidationRule[];
  parseOptions: NonNullable<ApolloServerOptions<Context>['parseOptions']>;
  hideSchemaDetailsFromClientErrors: boolean;
};

/**
 * Apollo Server settings enforcing the limits. Depth, aliases and cost are graphql-armor
 * validation rules, directives our own (max-directives-rule.ts): a violation is an HTTP 400 with
 * the limit's own code (limit-errors.ts; the error formatter restores it over Apollo's
 * GRAPHQL_VALIDATION_FAILED) and a message naming the limit. Tokens use graphql-js's own
 * `maxTokens` parse option instead of armor's Apollo plugin, which throws from a hook and turns
 * every rejected or malformed document into an HTTP 500 (graphql-armor issues #571, #751); the
 * formatter turns the parser's "Syntax Error" into TOKEN_LIMIT_EXCEEDED. Variables are bounded by their nesting depth
 * (variable-depth.ts); graphql-js's own MaxIntrospectionDepthRule bounds nested introspection
 * lists (`fields { type { fields …`), which depth and cost exempt.
 */
export function createOperationLimits<Context extends BaseContext>(
  limits: OperationLimits,
): LimitsConfig<Context> {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...reportAs('depth', limits.maxDepth) },
    // armor exempts `__typename` aliases by default, so `{ a1: __typename … a1000: __typename }`
    // passed any limit.
    maxAliases: { n: limits.maxAliases, allowList: [], ...reportAs('aliases', limits.maxAliases) },
    costLimit: { maxCost: limits.maxCost, ...reportAs('cost', limits.maxCost) },
    // Ours counts directives on repeated fragment spreads (max-directives-rule.ts).
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.canSuggestFields },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: [
      ...(plugins as ApolloServerPlugin<Context>[]),
      createVariableDepthPlugin<Context>(limits.maxVariableDepth),
    ],
    validationRules: [
      ...validationRules,
      maxDirectivesRule(limits.maxDirectives),
      finiteNumbersRule,
    ],
    parseOptions: { maxTokens: limits.maxTokens },
    hideSchemaDetailsFromClientErrors: !limits.canSuggestFields,
  };
}

/**
 * armor's rules throw "Syntax Error: Query depth limit of 10 exceeded, found 11." and stop the
 * validation there; reported instead, the error names the limit, carries its code, and the other
 * rules still run. The count is read from armor's text (it exposes the limits by default).
 */
function reportAs(limit: LimitName, bound: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        context?.reportError(
          limitExceededError(limit, bound, {
            found: found === undefined ? undefined : Number(found),
          }),
        );
      },
    ],
  };
}
