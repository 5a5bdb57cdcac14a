import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import type { Identity } from './identity.js';
import { InvalidIdentityError, signForwardedIdentity, verifyForwardedIdentity } from './tokens.js';

const secret = 'test-gateway-secret-0123456789abcdef';
const member: Identity = {
  kind: 'member',
  memberId: '0196f3b4-6c1e-7000-8000-000000000001',
  sessionId: '0196f3b4-6c1e-7000-8000-000000000002',
  roles: [],
  staffOf: [{ organizationId: '0196f3b4-6c1e-7000-8000-000000000003', role: 'coordinator' }],
};

describe('forwarded identity', () => {
  it('round-trips a member, a partner and anonymous', async () => {
    const partner: Identity = {
      kind: 'partner',
      keyId: '0196f3b4-6c1e-7000-8000-000000000004',
      organizationId: '0196f3b4-6c1e-7000-8000-000000000005',
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'municipal-relocation-support',
    };
    for (const identity of [member, partner, null]) {
      const token = signForwardedIdentity({ identity, clientAddress: '203.0.113.7' }, secret);
      expect(verifyForwardedIdentity(token, secret)).toEqual({
        identity,
        clientAddress: '203.0.113.7',
      });
    }
  });

  it('rejects another secret, a tampered payload and an expired header', async () => {
    const token = signForwardedIdentity({ identity: member, clientAddress: null }, secret);
    expect(() => verifyForwardedIdentity(token, `${secret}x`)).toThrow(InvalidIdentityError);

    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ identity: { ...member, roles: ['admin'] }, clientAddress: null }),
    ).toString('base64url');
    expect(() =>
      verifyForwardedIdentity(`${header}.${forgedPayload}.${signature}`, secret),
    ).toThrow(InvalidIdentityError);

    const expired = await new SignJWT({ identity: member, clientAddress: null })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('urn:coworking-hub:gateway')
      .setAudience('urn:coworking-hub:subgraphs')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    expect(() => verifyForwardedIdentity(expired, secret)).toThrow('token expired');
  });

  it('rejects claims that do not describe an identity', async () => {
    const token = await new SignJWT({ identity: { kind: 'member', memberId: 'x' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('urn:coworking-hub:gateway')
      .setAudience('urn:coworking-hub:subgraphs')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(secret));
    expect(() => verifyForwardedIdentity(token, secret)).toThrow('malformed identity claims');
  });
});
