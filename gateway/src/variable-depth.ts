import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { limitExceededError } from './limit-errors.js';

/**
 * Refuses variables nested deeper than `maxDepth` arrays/objects. The gateway does not coerce a
 * custom scalar (its supergraph knows only the name), so a variable like `[[[[…]]]]` for a
 * `DateTime` passes it untouched; serialising a value nested some thousands of levels for the
 * subgraph call overflows the stack, which surfaced as a SUBGRAPH_UNAVAILABLE. No input of the
 * schema comes close to this depth.
 */
export function createVariableDepthPlugin<Context extends BaseContext>(
  maxDepth: number,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          if (!request.variables || !isDeeperThan(request.variables, maxDepth + 1)) return;
          throw limitExceededError('variableDepth', maxDepth);
        },
      };
    },
  };
}

/** Whether arrays/objects nest more than `limit` levels; iterative, so any depth is safe. */
export function isDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      pending.push([child, depth + 1]);
    }
  }
  return false;
}
