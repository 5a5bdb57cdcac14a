import { dateColumn, todayInJapan } from '@hub/contracts';
import { ACCESS_TOKEN } from '@hub/identity';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  AUTH_RESULT,
  type AuthResult,
  codeOf,
  newEmail,
  signedIn,
  signedUp,
  TYPED_ERROR,
  typedCodeOf,
  useMembers,
} from '../../test/support/index.js';

// Access tokens, refresh rotation, sign-out and signing keys over real HTTP.
const hub = useMembers();

const signUp = () =>
  signedUp(hub, { email: newEmail('session'), displayName: '試験 次郎', kind: 'STUDENT' });
const signIn = (email: string) => signedIn(hub, email);

function refresh(refreshToken: string) {
  return hub.gql<{ refreshSession: AuthResult }>(
    `mutation($input: RefreshSessionInput!) {
      refreshSession(input: $input) { ${AUTH_RESULT('RefreshSessionSuccess')} } }`,
    { input: { refreshToken } },
  );
}

/** The code of the CredentialError a refresh is refused with (never errors[]). */
async function refusedRefresh(refreshToken: string): Promise<string | undefined> {
  const response = await refresh(refreshToken);
  expect(response.errors).toBeUndefined();
  expect(response.data!.refreshSession.__typename).toBe('CredentialError');
  return response.data!.refreshSession.code;
}

const ENDED = `__typename ${TYPED_ERROR} ... on SignOutSuccess { endedSessions { count } }`;

function signOut(refreshToken: string) {
  return hub.gql<{
    signOut: { __typename: string; code?: string; endedSessions?: { count: number } };
  }>(`mutation($input: SignOutInput!) { signOut(input: $input) { ${ENDED} } }`, {
    input: { refreshToken },
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
    expect(rotated.data!.refreshSession.__typename).toBe('RefreshSessionSuccess');
    const second = rotated.data!.refreshSession.session;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.member.id).toBe(first.member.id);
    const before = await verifyAccessToken(first.accessToken);
    const after = await verifyAccessToken(second.accessToken);
    expect(after.payload.sid).toBe(before.payload.sid);

    const reused = await refresh(first.refreshToken);
    expect(reused.errors).toBeUndefined();
    expect(reused.data!.refreshSession).toMatchObject({
      __typename: 'CredentialError',
      code: 'REFRESH_TOKEN_REUSED',
      field: null,
    });
    const session = await hub.prisma.session.findUniqueOrThrow({
      where: { id: before.payload.sid as string },
    });
    expect(session).toMatchObject({ revokedReason: 'reuse', revokedAt: expect.any(Date) });
    // The thief and the owner both lose: the newest token died with the session.
    expect(await refusedRefresh(second.refreshToken)).toBe('INVALID_REFRESH_TOKEN');
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const { refreshToken } = await signUp();
    const responses = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    const rotated = responses.filter(
      (response) => response.data?.refreshSession.__typename === 'RefreshSessionSuccess',
    );
    expect(rotated).toHaveLength(1);
    expect(responses.map((response) => typedCodeOf(response, 'refreshSession'))).toContain(
      'REFRESH_TOKEN_REUSED',
    );
  });

  it('refuses unknown, malformed and expired tokens', async () => {
    expect(await refusedRefresh('A'.repeat(43))).toBe('INVALID_REFRESH_TOKEN');
    expect(await refusedRefresh('not a token')).toBe('INVALID_REFRESH_TOKEN');
    const { refreshToken, member } = await signUp();
    await hub.prisma.refreshToken.updateMany({
      where: { session: { memberId: member.id } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await refusedRefresh(refreshToken)).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses an erased member', async () => {
    const { refreshToken, member } = await signUp();
    await hub.prisma.member.update({
      where: { id: member.id },
      data: { erasedAt: new Date() },
    });
    expect(await refusedRefresh(refreshToken)).toBe('INVALID_REFRESH_TOKEN');
  });
});

describe('sign-out and sessions', () => {
  it('signOut revokes the session its refresh token belongs to', async () => {
    const { refreshToken } = await signUp();
    expect((await signOut(refreshToken)).data).toEqual({
      signOut: { __typename: 'SignOutSuccess', endedSessions: { count: 1 } },
    });
    expect(await refusedRefresh(refreshToken)).toBe('INVALID_REFRESH_TOKEN');
    // Signing out twice is not an error; nothing more ended.
    expect((await signOut(refreshToken)).data).toEqual({
      signOut: { __typename: 'SignOutSuccess', endedSessions: { count: 0 } },
    });
  });

  it('signOut refuses a token that was never issued, as a CredentialError', async () => {
    for (const token of ['A'.repeat(43), 'not a token']) {
      const response = await signOut(token);
      expect(response.errors).toBeUndefined();
      expect(response.data!.signOut).toMatchObject({
        __typename: 'CredentialError',
        code: 'INVALID_REFRESH_TOKEN',
      });
    }
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

    const everywhere = await hub.gql(
      'mutation { signOutEverywhere { __typename ... on SignOutEverywhereSuccess { endedSessions { count } } } }',
      undefined,
      identity,
    );
    expect(everywhere.errors).toBeUndefined();
    expect(everywhere.data).toEqual({
      signOutEverywhere: { __typename: 'SignOutEverywhereSuccess', endedSessions: { count: 2 } },
    });
    expect(await refusedRefresh(first.refreshToken)).toBe('INVALID_REFRESH_TOKEN');
    expect(await refusedRefresh(second.refreshToken)).toBe('INVALID_REFRESH_TOKEN');
  });

  it('needs a signed-in member for mySessions and signOutEverywhere', async () => {
    for (const query of [
      '{ mySessions { id } }',
      'mutation { signOutEverywhere { __typename } }',
    ]) {
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
  const ROTATE =
    'mutation { rotateSigningKeys { ... on RotateSigningKeysSuccess { signingKey { kid } } } }';

  it('only a hub admin rotates', async () => {
    expect(codeOf(await hub.gql(ROTATE))).toBe('UNAUTHENTICATED');
    const { member } = await signUp();
    expect(codeOf(await hub.gql(ROTATE, undefined, asMember(member.id)))).toBe('FORBIDDEN');
  });

  it('after rotation the JWKS publishes the new and the previous key; older tokens still verify', async () => {
    const before = await signUp();
    const previousKid = decodeProtectedHeader(before.accessToken).kid;
    const rotated = await hub.gql<{ rotateSigningKeys: { signingKey: { kid: string } } }>(
      ROTATE,
      undefined,
      asAdmin(),
    );
    expect(rotated.errors).toBeUndefined();
    const newKid = rotated.data!.rotateSigningKeys.signingKey.kid;
    expect(newKid).not.toBe(previousKid);

    const kids = (await jwks()).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([newKid, previousKid]));
    expect((await verifyAccessToken(before.accessToken)).payload.sub).toBe(before.member.id);

    const after = await signIn(before.email);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    expect((await verifyAccessToken(after.accessToken)).payload.sub).toBe(before.member.id);
  });
});
