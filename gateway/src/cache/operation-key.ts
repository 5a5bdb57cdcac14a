import { createHash } from 'node:crypto';
import { type DocumentNode, print } from 'graphql';

/**
 * The cache key of an operation: the printed document (so spacing, commas and comments do not
 * matter), the operation name (a document may hold several) and the variables with their keys
 * sorted. Hashed, so a long document costs a fixed 64 characters per entry.
 */
export function createOperationKey(): (
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
) => string {
  // Apollo hands out one parsed document per query text, so printing happens once per text.
  const printed = new WeakMap<DocumentNode, string>();
  return (document, operationName, variables) => {
    let text = printed.get(document);
    if (text === undefined) {
      text = print(document);
      printed.set(document, text);
    }
    return createHash('sha256')
      .update(JSON.stringify([text, operationName ?? null, sortedKeys(variables ?? {})]))
      .digest('hex');
  };
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
