import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { describe, expect, test } from '@jest/globals';
import { createGatewayContext, type GatewayContext } from '../gateway-context.js';
import { DeduplicatingDataSource } from './deduplicating-data-source.js';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;

/** A data source that records which path served a fetch. */
function recorder(name: string, calls: string[], http: object) {
  return {
    async process() {
      calls.push(name);
      return { data: {}, http } as never;
    },
  } satisfies GraphQLDataSource<GatewayContext>;
}

function fetchOf(operation: 'query' | 'mutation' | undefined, context: GatewayContext): Options {
  return {
    kind: 'incoming operation',
    request: { query: '{ _entities { __typename } }' },
    context,
    incomingRequestContext: { operation: operation ? { operation } : undefined },
  } as unknown as Options;
}

describe('which fetches may be merged', () => {
  const sharedHttp = {};
  const setup = () => {
    const calls: string[] = [];
    const source = new DeduplicatingDataSource({
      direct: recorder('direct', calls, {}),
      shared: recorder('shared', calls, sharedHttp),
      wasMerged: (http) => http === sharedHttp,
    });
    return { calls, source };
  };

  test('the fetches of a query go through the merging fetcher and are counted when merged', async () => {
    const { calls, source } = setup();
    const context = createGatewayContext('r1');

    await source.process(fetchOf('query', context));

    expect(calls).toEqual(['shared']);
    expect(context.accessLog.mergedFetches).toBe(1);
  });

  test('every fetch of a mutation, entity fetches after the write included, goes alone', async () => {
    const { calls, source } = setup();
    const context = createGatewayContext('r2');

    await source.process(fetchOf('mutation', context));
    await source.process(fetchOf(undefined, context));
    await source.process({ kind: 'health check', request: {}, context: {} } as unknown as Options);

    expect(calls).toEqual(['direct', 'direct', 'direct']);
    expect(context.accessLog.mergedFetches).toBe(0);
  });
});
