import { describe, expect, test } from '@jest/globals';
import { CallerError } from './caller-error.js';
import { readCredential } from './credentials.js';

const JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const KEY = `hub_${'a'.repeat(43)}`;

function refusalOf(headers: Record<string, string>): string {
  try {
    readCredential(headers);
  } catch (error) {
    if (error instanceof CallerError && error.status === 401) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readCredential', () => {
  test('no credential is anonymous', () => {
    expect(readCredential({})).toBeNull();
  });

  test('reads a bearer token, an X-Api-Key and an ApiKey authorization', () => {
    expect(readCredential({ authorization: `Bearer ${JWT}` })).toEqual({
      kind: 'bearer',
      token: JWT,
    });
    expect(readCredential({ authorization: `bearer ${JWT}` })).toEqual({
      kind: 'bearer',
      token: JWT,
    });
    expect(readCredential({ 'x-api-key': KEY })).toEqual({ kind: 'api-key', key: KEY });
    expect(readCredential({ authorization: `ApiKey ${KEY}` })).toEqual({
      kind: 'api-key',
      key: KEY,
    });
    expect(readCredential({ authorization: `ApiKey ${KEY}`, 'x-api-key': KEY })).toEqual({
      kind: 'api-key',
      key: KEY,
    });
  });

  test('a credential that is present but unusable is refused, never ignored', () => {
    expect(refusalOf({ authorization: 'Bearer' })).toBe('malformed authorization header');
    expect(refusalOf({ authorization: 'Bearer not-a-jwt' })).toBe(
      'bearer token is not a compact JWS',
    );
    expect(refusalOf({ authorization: 'Basic dXNlcjpwYXNz' })).toBe(
      'unsupported authorization scheme basic',
    );
    expect(refusalOf({ 'x-api-key': 'sk_live_123' })).toBe(
      'api key has not the shape of a hub key',
    );
    expect(refusalOf({ 'x-api-key': '' })).toBe('api key has not the shape of a hub key');
    expect(refusalOf({ authorization: `Bearer ${JWT}`, 'x-api-key': KEY })).toBe('two credentials');
  });
});
