import { describe, expect, test } from '@jest/globals';
import { negotiateMediaType } from './media-type.js';

describe('negotiateMediaType (GraphQL over HTTP)', () => {
  test.each<[string | undefined, string | null]>([
    // No preference: the GraphQL media type, as the specification says since 2025.
    [undefined, 'application/graphql-response+json'],
    ['', 'application/graphql-response+json'],
    ['*/*', 'application/graphql-response+json'],
    ['application/*', 'application/graphql-response+json'],
    // Apollo Client 4 and graphql-http clients.
    [
      'application/graphql-response+json,application/json;q=0.9',
      'application/graphql-response+json',
    ],
    ['application/graphql-response+json, application/json', 'application/graphql-response+json'],
    // A client that reads only JSON gets JSON.
    ['application/json', 'application/json'],
    ['application/json, text/plain, */*;q=0.1', 'application/json'],
    ['application/json;q=1, application/graphql-response+json;q=0.5', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    // A browser's navigation: its */* admits either.
    [
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'application/graphql-response+json',
    ],
    // Neither: 406.
    ['text/html', null],
    ['image/png, text/*', null],
    ['application/json;q=0, application/graphql-response+json;q=0', null],
    ['*/*;q=0', null],
    ['nonsense', null],
  ])('Accept %j → %s', (accept, expected) => {
    expect(negotiateMediaType(accept)).toBe(expected);
  });
});
