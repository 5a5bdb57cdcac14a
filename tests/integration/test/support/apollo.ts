import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache, type PossibleTypesMap } from '@apollo/client';
import { POSSIBLE_TYPES_PATH } from '@hub/gateway';

/** The committed snippet (`gateway/possible-types.json`), as a front end imports it. */
export const possibleTypes = JSON.parse(
  readFileSync(POSSIBLE_TYPES_PATH, 'utf8'),
) as PossibleTypesMap;

/**
 * An Apollo Client 4 as a front end builds one: a real HttpLink (its own Accept header and
 * response handling) to the gateway, and a fresh normalised cache that knows the schema's
 * interfaces and unions (`possibleTypes`, as the README says; pass `{}` to see a cache without
 * them). `headers` go on every request (a bearer token, a partner key).
 */
export function createApolloClient(options: {
  uri: string;
  headers?: Record<string, string>;
  possibleTypes?: PossibleTypesMap;
}): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: options.uri, headers: options.headers }),
    cache: new InMemoryCache({ possibleTypes: options.possibleTypes ?? possibleTypes }),
  });
}

/** What a promise rejected with, or fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/**
 * Runs `action` and returns what Apollo Client warned about meanwhile (it warns through the
 * console: "cache data may be lost", missing fields, …), so a test can demand there were none.
 */
export async function warningsDuring(action: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const original = { warn: console.warn, error: console.error };
  const record = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  console.warn = record;
  console.error = record;
  try {
    await action();
  } finally {
    console.warn = original.warn;
    console.error = original.error;
  }
  return warnings;
}
