import {
  type ASTNode,
  type FragmentDefinitionNode,
  Kind,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { limitExceededError } from './limit-errors.js';

/**
 * At most `limit` directives per operation, counting those inside fragments once per spread.
 * Replaces graphql-armor's rule, which remembers a fragment's count and, on the fragment's next
 * spread, returns that count *instead of* adding it to the directives on the spread itself: sixty
 * `...F @include(if: true)` counted as one.
 */
export function maxDirectivesRule(limit: number): ValidationRule {
  return (context) => {
    const perFragment = new Map<string, number>();
    return {
      OperationDefinition(operation) {
        const found = countDirectives(operation, context, perFragment);
        if (found > limit) {
          context.reportError(
            limitExceededError('directives', limit, { found, nodes: [operation] }),
          );
        }
      },
    };
  };
}

function countDirectives(
  node: ASTNode,
  context: ValidationContext,
  perFragment: Map<string, number>,
): number {
  let count = 'directives' in node && node.directives ? node.directives.length : 0;
  if (node.kind === Kind.FRAGMENT_SPREAD) {
    return count + fragmentDirectives(context.getFragment(node.name.value), context, perFragment);
  }
  if ('selectionSet' in node && node.selectionSet) {
    for (const selection of node.selectionSet.selections) {
      count += countDirectives(selection, context, perFragment);
    }
  }
  return count;
}

function fragmentDirectives(
  fragment: FragmentDefinitionNode | null | undefined,
  context: ValidationContext,
  perFragment: Map<string, number>,
): number {
  if (!fragment) return 0; // KnownFragmentNamesRule reports it.
  const name = fragment.name.value;
  const known = perFragment.get(name);
  if (known !== undefined) return known;
  // Zero while in progress: a cycle ends here (NoFragmentCyclesRule reports it).
  perFragment.set(name, 0);
  const count = countDirectives(fragment, context, perFragment);
  perFragment.set(name, count);
  return count;
}
