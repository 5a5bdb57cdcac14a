import { createRequire } from 'node:module';
import type { DocumentNode } from 'graphql';

/**
 * Remembers the federation `Operation` Apollo Gateway builds from each request's document.
 *
 * Apollo Gateway caches the query plan of an operation, but its executeQueryPlan still turns
 * the request's document into federation-internals' `Operation` (operationFromDocument with
 * `validate: false`) on every request, to shape the response — 7 % of the gateway's CPU on the
 * bench's varied mix (docs/performance.md). Apollo Server hands the gateway the same parsed
 * document object for every request with the same text (its document store), so the operation
 * definition node identifies the result: this caches it per node (a WeakMap, so it goes when
 * Apollo's cache lets the document go), with the schema and fragment definitions checked to be
 * the very same objects. The Operation is only read afterwards (its selection set, its variable
 * definitions and their defaults), so one object may serve every request of that document.
 *
 * Only the `validate: false` calls are cached — planning a new operation still goes through the
 * validating path untouched. A test pins that Apollo Gateway calls the function this patches,
 * so an upgrade that moves it fails the test instead of silently doing nothing.
 */
type OperationFromDocument = (
  schema: unknown,
  document: DocumentNode,
  options?: { operationName?: string; validate?: boolean },
) => unknown;

type Entry = {
  schema: unknown;
  rest: readonly unknown[];
  operationName: string | undefined;
  operation: unknown;
};

export type OperationCacheStats = { hits: number; misses: number };

const stats: OperationCacheStats = { hits: 0, misses: 0 };
let installed: OperationFromDocument | undefined;

/** The module Apollo Gateway's executeQueryPlan reads operationFromDocument from (live binding). */
function federationOperations(): { operationFromDocument: OperationFromDocument } {
  const fromHere = createRequire(import.meta.url);
  const fromGateway = createRequire(fromHere.resolve('@apollo/gateway'));
  return fromGateway('@apollo/federation-internals/dist/operations');
}

/** Installs the cache (idempotent); the gateway app does it before building Apollo Gateway. */
export function installOperationCache(): void {
  if (installed) return;
  const operations = federationOperations();
  const original = operations.operationFromDocument;
  const cache = new WeakMap<object, Entry>();
  installed = (schema, document, options) => {
    const [first, ...rest] = document.definitions;
    if (options?.validate !== false || first?.kind !== 'OperationDefinition') {
      return original(schema, document, options);
    }
    const entry = cache.get(first);
    if (
      entry &&
      entry.schema === schema &&
      entry.operationName === options.operationName &&
      entry.rest.length === rest.length &&
      entry.rest.every((definition, i) => definition === rest[i])
    ) {
      stats.hits += 1;
      return entry.operation;
    }
    stats.misses += 1;
    const operation = original(schema, document, options);
    cache.set(first, { schema, rest, operationName: options.operationName, operation });
    return operation;
  };
  operations.operationFromDocument = installed;
}

/** Hits and misses since start (tests). */
export function operationCacheStats(): OperationCacheStats {
  return { ...stats };
}

/** For a test: the function Apollo Gateway will call is the cached one. */
export function isOperationCacheInstalled(): boolean {
  return installed !== undefined && federationOperations().operationFromDocument === installed;
}
