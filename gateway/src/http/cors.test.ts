import { describe, expect, test } from '@jest/globals';
import { createCorsPolicy, isPreflight, normaliseAllowedOrigin } from './cors.js';

const policy = createCorsPolicy(['https://app.example.jp', 'http://localhost:*']);
const decide = (origin: string | undefined, host = 'hub.example.jp') =>
  policy.decide({ host, ...(origin === undefined ? {} : { origin }) });

describe('normaliseAllowedOrigin', () => {
  test.each([
    ['https://app.example.jp', 'https://app.example.jp'],
    ['  HTTPS://APP.example.jp:443 ', 'https://app.example.jp'],
    ['http://localhost:5173', 'http://localhost:5173'],
    ['http://localhost:*', 'http://localhost:*'],
    ['http://[::1]:*', 'http://[::1]:*'],
    ['http://127.0.0.1:80', 'http://127.0.0.1'],
  ])('%s → %s', (entry, expected) => {
    expect(normaliseAllowedOrigin(entry)).toBe(expected);
    // Normalising again changes nothing: options may carry either form.
    expect(normaliseAllowedOrigin(expected)).toBe(expected);
  });
});

describe('a CORS policy', () => {
  test('ignores requests without an Origin and the gateway’s own pages', () => {
    expect(decide(undefined)).toEqual({ kind: 'none' });
    expect(decide('https://hub.example.jp')).toEqual({ kind: 'none' });
    expect(decide('http://127.0.0.1:4000', '127.0.0.1:4000')).toEqual({ kind: 'none' });
  });

  test('allows listed origins, exactly or on any port', () => {
    expect(decide('https://app.example.jp')).toEqual({
      kind: 'allowed',
      origin: 'https://app.example.jp',
    });
    expect(decide('http://localhost:5173')).toEqual({
      kind: 'allowed',
      origin: 'http://localhost:5173',
    });
    expect(decide('http://localhost')).toEqual({ kind: 'allowed', origin: 'http://localhost' });
  });

  test('refuses every other origin, and origins that are none', () => {
    for (const origin of [
      'https://evil.example',
      'http://app.example.jp',
      'https://app.example.jp:8443',
      'https://localhost:5173',
      'http://127.0.0.1:5173',
      'null',
      'not a url',
    ]) {
      expect(decide(origin)).toEqual({ kind: 'refused', origin });
    }
  });

  test('answers an allowed origin with its own name, exposed headers and Vary', () => {
    expect(policy.responseHeaders({ kind: 'allowed', origin: 'https://app.example.jp' })).toEqual({
      vary: 'origin',
      'access-control-allow-origin': 'https://app.example.jp',
      'access-control-expose-headers':
        'ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, www-authenticate, x-request-id, x-hub-cache',
    });
    expect(policy.responseHeaders({ kind: 'refused', origin: 'https://evil.example' })).toEqual({
      vary: 'origin',
    });
    expect(policy.responseHeaders({ kind: 'none' })).toEqual({ vary: 'origin' });
  });

  test('refuses a malformed origin list when it is created', () => {
    expect(() => createCorsPolicy(['*'])).toThrow('"*" is not an origin');
  });
});

test('a preflight is an OPTIONS naming the method to come', () => {
  expect(isPreflight('OPTIONS', { 'access-control-request-method': 'POST' })).toBe(true);
  expect(isPreflight('OPTIONS', {})).toBe(false);
  expect(isPreflight('POST', { 'access-control-request-method': 'POST' })).toBe(false);
});
