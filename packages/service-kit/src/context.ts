import { todayInJapan } from '@hub/contracts';
import type { Identity } from '@hub/identity';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';

export type { Identity } from '@hub/identity';

/** What every resolver receives. */
export type HubContext = {
  requestId: string;
  logger: Logger;
  /** The caller as the gateway verified it (signed header); null = anonymous. */
  identity: Identity | null;
  /** The end client's address as the gateway saw it (for per-address limits). */
  clientAddress: string | null;
  loaders: Map<string, DataLoader<unknown, unknown>>;
};

/** What the server knows about one request before the service adds its own members. */
export type RequestInfo = {
  requestId: string;
  identity: Identity | null;
  clientAddress: string | null;
};

/** The base context for one request; services extend it with their own database client. */
export function createBaseContext(request: RequestInfo, logger: Logger): HubContext {
  return {
    requestId: request.requestId,
    logger: logger.child({ requestId: request.requestId }),
    identity: request.identity,
    clientAddress: request.clientAddress,
    loaders: new Map(),
  };
}

/**
 * A DataLoader that lives for one request, so all `resolveReference` calls and list fields of
 * that request are batched into one query per kind of thing (no N+1 behind the gateway).
 * `load` returns null for keys the batch did not find.
 */
export function requestLoader<K, V>(
  context: HubContext,
  name: string,
  options: { fetch: (keys: readonly K[]) => Promise<V[]>; keyOf: (value: V) => K },
): DataLoader<K, V | null> {
  let loader = context.loaders.get(name) as DataLoader<K, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V | null>(async (keys) => {
      const found = new Map(
        (await options.fetch(keys)).map((value) => [options.keyOf(value), value]),
      );
      return keys.map((key) => found.get(key) ?? null);
    });
    context.loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/**
 * Like requestLoader, for one-to-many lists (e.g. a space's upcoming events): one query for
 * all parents, grouped by parent key.
 */
export function requestGroupLoader<K, V>(
  context: HubContext,
  name: string,
  options: { fetch: (keys: readonly K[]) => Promise<V[]>; groupOf: (value: V) => K | K[] },
): DataLoader<K, V[]> {
  let loader = context.loaders.get(name) as DataLoader<K, V[]> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V[]>(async (keys) => {
      const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const value of await options.fetch(keys)) {
        const owners = options.groupOf(value);
        for (const owner of Array.isArray(owners) ? owners : [owners])
          groups.get(owner)?.push(value);
      }
      return keys.map((key) => groups.get(key) ?? []);
    });
    context.loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

const todays = new WeakMap<HubContext, string>();

/**
 * "Today" in Japan fixed once per request, so a list's filter and the check on each row it
 * returns agree even across midnight (affiliations active today, for the personal-data rule).
 */
export function requestToday(context: HubContext): string {
  let today = todays.get(context);
  if (today === undefined) {
    today = todayInJapan();
    todays.set(context, today);
  }
  return today;
}
