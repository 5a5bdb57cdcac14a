import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from '@jest/globals';
import { clientAddressOf } from './client-address.js';

function requestFrom(peer: string | undefined, forwardedFor?: string) {
  return {
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    socket: { remoteAddress: peer },
  } as unknown as Pick<IncomingMessage, 'headers' | 'socket'>;
}

describe('clientAddressOf', () => {
  test('is the TCP peer unless the proxy is trusted', () => {
    const request = requestFrom('10.0.0.5', '203.0.113.7');

    expect(clientAddressOf(request, { trustProxy: false })).toBe('10.0.0.5');
    expect(clientAddressOf(request, { trustProxy: true })).toBe('203.0.113.7');
  });

  test('takes the first X-Forwarded-For entry, ignoring one that is not an address', () => {
    expect(
      clientAddressOf(requestFrom('10.0.0.5', ' 203.0.113.7 , 10.0.0.1'), { trustProxy: true }),
    ).toBe('203.0.113.7');
    expect(
      clientAddressOf(requestFrom('10.0.0.5', 'unknown, 203.0.113.7'), { trustProxy: true }),
    ).toBe('10.0.0.5');
  });

  test('writes IPv4-mapped IPv6 peers as IPv4', () => {
    expect(clientAddressOf(requestFrom('::ffff:127.0.0.1'), { trustProxy: false })).toBe(
      '127.0.0.1',
    );
    expect(clientAddressOf(requestFrom('2001:DB8::1'), { trustProxy: false })).toBe('2001:db8::1');
    expect(clientAddressOf(requestFrom(undefined), { trustProxy: false })).toBeNull();
  });
});
