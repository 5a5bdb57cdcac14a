import { dateColumn, todayInJapan } from '@hub/contracts';
import { ACCESS_TOKEN } from '@hub/identity';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  AUTH_PAYLOAD,
  type AuthPayload,
  codeOf,
  newEmail,
  signedIn,
  signedUp,
  useMembers,
} from '../../test/support/index.js';

// Access tokens, refresh rotation, sign-out and signing keys over real HTTP.
const hub = useMembers();

const signUp = () =>
  signedUp(hub, { email: newEmail('session'), displayName: '試験 次郎', kind: 'STUDENT' });
const signIn = (email: string) => signedIn(hub, email);

function refresh(refreshToken: string) {
  return hub.gql<{ refreshSession: AuthPayload }>(
    `mutation($t: String!) { refreshSession(refreshToken: $t) { ${AUTH_PAYLOAD} } }`,
    { t: refreshToken },
  );
}

function signOut(refreshToken: string) {
  return hub.gql<{ signOut: boolean }>('mutation($t: String!) { signOut(refreshToken: $t) }', {
    t: refreshToken,
  });
}

async function jwks(): Promise<JSONWebKeySet> {
  const response = await fetch(new URL('/.well-known/jwks.json', hub.service.url));
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

async function verifyAccessToken(token: string) {
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
    issuer: ACCESS_TOKEN.issuer,
    audience: ACCESS_TOKEN.audience,
    algorithms: [ACCESS_TOKEN.algorithm],
  });
  return { payload, protectedHeader };
}

describe('access tokens', () => {
  it('are EdDSA JWTs verifiable against the JWKS, naming the member and the session', async () => {
    const signedUp = await signUp();
    const { payload, protectedHeader } = await verifyAccessToken(signedUp.accessToken);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect(payload).toMatchObject({ sub: signedUp.member.id, roles: [], staffOf: [] });
    expect(payload.exp! - payload.iat!).toBe(ACCESS_TOKEN.lifetimeSeconds);
    expect(new Date(signedUp.accessTokenExpiresAt).getTime()).toBe(payload.exp! * 1000);
    const session = await hub.prisma.session.findUniqueOrThrow({
      where: { id: payload.sid as string },
    });
    expect(session.memberId).toBe(signedUp.member.id);
    // 30 days for the refresh token, give or take the request.
    const refreshDays =
      (new Date(signedUp.refreshTokenExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(refreshDays).toBeCloseTo(30, 1);
  });

  it('carry the account roles and only active, confirmed staff affiliations (Japanese calendar day)', async () => {
    const { email, member } = await signUp();
    await hub.prisma.account.update({
      where: { memberId: member.id },
      data: { roles: ['admin', 'not-a-role'] },
    });
    const today = dateColumn(todayInJapan());
    const day = 86_400_000;
    const organization = (name: string) =>
      hub.prisma.organization.create({ data: { name, kind: 'SPACE_OPERATOR' } });
    const [staffOrg, adminOrg, endedOrg, futureOrg, workerOrg, endsTodayOrg, unconfirmedOrg] =
      await Promise.all(
        ['staff', 'admin', 'ended', 'future', 'worker', 'ends-today', 'unconfirmed'].map(
          organization,
        ),
      );
    const affiliation = (
      organizationId: string,
      role: 'STAFF' | 'ADMIN' | 'COORDINATOR' | 'WORKER' | 'EXPERT',
      startsOn: Date,
      endsOn: Date | null = null,
      confirmedAt: Date | null = new Date(),
    ) =>
      hub.prisma.affiliation.create({
        data: { memberId: member.id, organizationId, role, startsOn, endsOn, confirmedAt },
      });
    await Promise.all([
      affiliation(staffOrg!.id, 'STAFF', new Date(today.getTime() - 30 * day)),
      affiliation(staffOrg!.id, 'EXPERT', new Date(today.getTime() - 30 * day)),
      affiliation(adminOrg!.id, 'ADMIN', today),
      affiliation(
        endedOrg!.id,
        'COORDINATOR',
        new Date(today.getTime() - 90 * day),
        new Date(today.getTime() - day),
      ),
      affiliation(futureOrg!.id, 'COORDINATOR', new Date(today.getTime() + day)),
      affiliation(workerOrg!.id, 'WORKER', new Date(today.getTime() - day)),
      affiliation(endsTodayOrg!.id, 'COORDINATOR', new Date(today.getTime() - day), today),
      // Staff roles an organisation gave the member without the member confirming them.
      affiliation(unconfirmedOrg!.id, 'ADMIN', new Date(today.getTime() - day), null, null),
      affiliation(unconfirmedOrg!.id, 'STAFF', new Date(today.getTime() - day), null, null),
    ]);

    const { payload } = await verifyAccessToken((await signIn(email)).accessToken);
    expect(payload.roles).toEqual(['admin']);
    expect(payload.staffOf).toEqual(
      expect.arrayContaining([
        { organizationId: staffOrg!.id, role: 'staff' },
        { organizationId: adminOrg!.id, role: 'admin' },
        { organizationId: endsTodayOrg!.id, role: 'coordinator' },
      ]),
    );
    expect(payload.staffOf).toHaveLength(3);
  });
});

describe('refreshSession', () => {
  it('rotates the pair within the session; presenting the used token revokes the session', async () => {
    const first = await signUp();
    const rotated = await refresh(first.refreshToken);
    expect(rotated.errors).toBeUndefined();
    const second = rotated.data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.member.id).toBe(first.member.id);
    const before = await verifyAccessToken(first.accessToken);
    const after = await verifyAccessToken(second.accessToken);
    expect(after.payload.sid).toBe(before.payload.sid);

    const reused = await refresh(first.refreshToken);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    const session = await hub.prisma.session.findUniqueOrThrow({
      where: { id: before.payload.sid as string },
    });
    expect(session).toMatchObject({ revokedReason: 'reuse', revokedAt: expect.any(Date) });
    // The thief and the owner both lose: the newest token died with the session.
    expect(codeOf(await refresh(second.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const { refreshToken } = await signUp();
    const responses = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(responses.filter((response) => response.data?.refreshSession)).toHaveLength(1);
    expect(responses.map(codeOf)).toContain('REFRESH_TOKEN_REUSED');
  });

  it('refuses unknown, malformed and expired tokens', async () => {
    expect(codeOf(await refresh('A'.repeat(43)))).toBe('INVALID_REFRESH_TOKEN');
    expect(codeOf(await refresh('not a token'))).toBe('INVALID_REFRESH_TOKEN');
    const { refreshToken, member } = await signUp();
    await hub.prisma.refreshToken.updateMany({
      where: { session: { memberId: member.id } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(codeOf(await refresh(refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses an erased member', async () => {
    const { refreshToken, member } = await signUp();
    await hub.prisma.member.update({
      where: { id: member.id },
      data: { erasedAt: new Date() },
    });
    expect(codeOf(await refresh(refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });
});

describe('sign-out and sessions', () => {
  it('signOut revokes the session its refresh token belongs to', async () => {
    const { refreshToken } = await signUp();
    expect((await signOut(refreshToken)).data).toEqual({ signOut: true });
    expect(codeOf(await refresh(refreshToken))).toBe('INVALID_REFRESH_TOKEN');
    expect((await signOut(refreshToken)).data).toEqual({ signOut: false });
  });

  it('mySessions lists my active sessions; signOutEverywhere ends them all', async () => {
    const first = await signUp();
    const second = await signIn(first.email);
    const third = await signIn(first.email);
    await signOut(third.refreshToken);
    const current = (await verifyAccessToken(second.accessToken)).payload.sid as string;
    const identity = asMember(first.member.id, { sessionId: current });

    const listed = await hub.gql<{
      mySessions: { id: string; isCurrent: boolean; createdAt: string; lastUsedAt: string }[];
    }>('{ mySessions { id isCurrent createdAt lastUsedAt } }', undefined, identity);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.mySessions).toHaveLength(2);
    expect(listed.data!.mySessions.find((session) => session.isCurrent)?.id).toBe(current);

    const everywhere = await hub.gql<{ signOutEverywhere: number }>(
      'mutation { signOutEverywhere }',
      undefined,
      identity,
    );
    expect(everywhere.data).toEqual({ signOutEverywhere: 2 });
    expect(codeOf(await refresh(first.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
    expect(codeOf(await refresh(second.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('needs a signed-in member for mySessions and signOutEverywhere', async () => {
    for (const query of ['{ mySessions { id } }', 'mutation { signOutEverywhere }']) {
      expect(codeOf(await hub.gql(query))).toBe('UNAUTHENTICATED');
      expect(codeOf(await hub.gql(query, undefined, asPartner()))).toBe('FORBIDDEN');
    }
  });

  it('me is the signed-in member, null when anonymous', async () => {
    const { member } = await signUp();
    const anonymous = await hub.gql('{ me { id } }');
    expect(anonymous.data).toEqual({ me: null });
    const signedIn = await hub.gql('{ me { id displayName } }', undefined, asMember(member.id));
    expect(signedIn.data).toEqual({ me: { id: member.id, displayName: '試験 次郎' } });
  });
});

describe('signing keys', () => {
  const ROTATE = 'mutation { rotateSigningKeys }';

  it('only a hub admin rotates', async () => {
    expect(codeOf(await hub.gql(ROTATE))).toBe('UNAUTHENTICATED');
    const { member } = await signUp();
    expect(codeOf(await hub.gql(ROTATE, undefined, asMember(member.id)))).toBe('FORBIDDEN');
  });

  it('after rotation the JWKS publishes the new and the previous key; older tokens still verify', async () => {
    const before = await signUp();
    const previousKid = decodeProtectedHeader(before.accessToken).kid;
    const rotated = await hub.gql<{ rotateSigningKeys: string }>(ROTATE, undefined, asAdmin());
    expect(rotated.errors).toBeUndefined();
    const newKid = rotated.data!.rotateSigningKeys;
    expect(newKid).not.toBe(previousKid);

    const kids = (await jwks()).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([newKid, previousKid]));
    expect((await verifyAccessToken(before.accessToken)).payload.sub).toBe(before.member.id);

    const after = await signIn(before.email);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    expect((await verifyAccessToken(after.accessToken)).payload.sub).toBe(before.member.id);
  });
});
