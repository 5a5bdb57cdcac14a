import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { GatewayContext } from '../gateway-context.js';
import { createOperationKey } from './operation-key.js';
import type { ResponseCache } from './response-cache.js';
import { createSelectedTypes } from './selected-types.js';

/** Response header saying how the cache answered: HIT, MISS or BYPASS. */
export const CACHE_STATUS_HEADER = 'x-hub-cache';

type Verdict = 'HIT' | 'MISS' | 'BYPASS';

/**
 * Serves public answers from the ResponseCache and purges it on the gateway's own mutations.
 *
 * What is public: the answer to an **anonymous** caller. The subgraphs decide every field's
 * visibility from the forwarded identity (auth scopes, the personal-data rule); with no identity
 * they answer only what anyone may read, so that answer can be handed to any other anonymous
 * caller without the gateway knowing any field rule — no list of public fields to keep in step
 * with the subgraphs. Members and partners are never served from the cache, nor stored in it
 * (BYPASS): their answers may hold what only they may see, and their own writes are then visible
 * to them at once by construction.
 *
 * Runs after validation, the operation limits and the rate limit, so a cached answer is given
 * only to a request that would have been allowed to run. Only queries answered without any error
 * are stored; a client's `Cache-Control: no-cache` (or `no-store`) skips the cache both ways.
 */
export function createResponseCachePlugin(
  cache: ResponseCache,
): ApolloServerPlugin<GatewayContext> {
  const keyOf = createOperationKey();
  const selectedTypes = createSelectedTypes();

  return {
    async requestDidStart({ contextValue }) {
      let verdict: Verdict = 'BYPASS';
      let key: string | undefined;
      let startedEpoch = 0;
      return {
        async responseForOperation({ operation, document, request }) {
          if (
            operation.operation !== 'query' ||
            contextValue.accessLog.caller !== 'anonymous' ||
            !cache.isActive ||
            refusesCachedAnswer(request.http?.headers.get('cache-control'))
          ) {
            return null;
          }
          key = keyOf(document, request.operationName, request.variables);
          startedEpoch = cache.epoch;
          const hit = cache.get(key);
          if (!hit) {
            verdict = 'MISS';
            return null;
          }
          verdict = 'HIT';
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: hit.data } },
          };
        },

        async willSendResponse({ operation, document, schema, response }) {
          contextValue.accessLog.cache = verdict;
          response.http.headers.set(CACHE_STATUS_HEADER, verdict);
          if (!operation || !document) return;
          if (operation.operation === 'mutation') {
            // Whatever its outcome: a mutation that failed half-way may still have written.
            cache.purgeTypes(selectedTypes(schema, document));
            return;
          }
          if (verdict !== 'MISS' || key === undefined) return;
          const body = response.body;
          if (body.kind !== 'single') return;
          const { data, errors } = body.singleResult;
          const status = response.http.status ?? 200;
          if (errors?.length || !data || status !== 200) return;
          cache.set(key, { data }, selectedTypes(schema, document), startedEpoch);
        },
      };
    },
  };
}

function refusesCachedAnswer(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /\bno-(cache|store)\b/i.test(cacheControl);
}
