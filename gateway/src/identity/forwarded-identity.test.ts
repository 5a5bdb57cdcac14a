import { randomUUID } from 'node:crypto';
import { type MemberIdentity, verifyForwardedIdentity } from '@hub/identity';
import { describe, expect, test } from '@jest/globals';
import { createForwardedIdentitySigner } from './forwarded-identity.js';

const SECRET = 'unit-test-gateway-secret-0123456789';
const member: MemberIdentity = {
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: [],
  staffOf: [],
};

describe('forwarded identity signer', () => {
  test('signs a header the subgraphs verify, reused for the same caller and address', async () => {
    const sign = createForwardedIdentitySigner({
      gatewaySecret: SECRET,
      reuseMs: 20_000,
      maxEntries: 10,
    });

    const first = await sign({ identity: member, clientAddress: '192.0.2.1' });
    const again = await sign({ identity: member, clientAddress: '192.0.2.1' });
    const elsewhere = await sign({ identity: member, clientAddress: '192.0.2.2' });
    const promoted = await sign({
      identity: { ...member, roles: ['admin'] },
      clientAddress: '192.0.2.1',
    });

    expect(again).toBe(first);
    expect(new Set([first, elsewhere, promoted]).size).toBe(3);
    expect(verifyForwardedIdentity(first, SECRET)).toEqual({
      identity: member,
      clientAddress: '192.0.2.1',
    });
    expect(verifyForwardedIdentity(promoted, SECRET)).toMatchObject({
      identity: { roles: ['admin'] },
    });
  });

  test('without reuse every call signs afresh', async () => {
    const sign = createForwardedIdentitySigner({
      gatewaySecret: SECRET,
      reuseMs: 0,
      maxEntries: 10,
    });

    await sign({ identity: null, clientAddress: null });

    expect(
      verifyForwardedIdentity(await sign({ identity: null, clientAddress: null }), SECRET),
    ).toEqual({ identity: null, clientAddress: null });
  });
});
