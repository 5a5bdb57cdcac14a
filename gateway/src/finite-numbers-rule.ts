import { type ASTNode, GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses number literals that are not finite doubles (`1e309`, or an integer literal of
 * several hundred digits given to a `Float`). graphql-js's `Float` accepts them inline as
 * ±Infinity — its variable path refuses them — and the gateway then fails to write the value
 * into the subgraph call ("Float cannot represent non numeric value"), an internal error for
 * what is the client's mistake.
 */
export const finiteNumbersRule: ValidationRule = (context) => ({
  FloatValue(node) {
    if (!Number.isFinite(Number(node.value))) context.reportError(tooLarge(node.value, node));
  },
  IntValue(node) {
    if (!Number.isFinite(Number(node.value))) context.reportError(tooLarge(node.value, node));
  },
});

function tooLarge(value: string, node: ASTNode) {
  const shown = value.length > 32 ? `${value.slice(0, 32)}…` : value;
  return new GraphQLError(
    `数値 ${shown} は表せる範囲を超えています (number literal ${shown} is out of range)`,
    { nodes: [node] },
  );
}
