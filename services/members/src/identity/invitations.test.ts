import type { Identity } from '@hub/identity';
import { asAdmin, asMember } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  codeOf,
  newEmail,
  TYPED_ERROR,
  trySignUp,
  typedCodeOf,
  useMembers,
} from '../../test/support/index.js';
import { newInvitationCode, normaliseInvitationCode } from './invitations.js';

// Invitation codes: creation, limits, and redemption at sign-up.
const hub = useMembers();
let inviter: Identity;
let inviterId: string;

beforeAll(async () => {
  const member = await hub.prisma.member.create({
    data: { displayName: '招待 太郎', kind: 'FOUNDER' },
  });
  inviterId = member.id;
  inviter = asMember(inviterId);
}, 60_000);

type InvitationView = {
  id: string;
  code: string;
  maxUses: number;
  uses: number;
  expiresAt: string;
  revokedAt: string | null;
};
const FIELDS = 'id code maxUses uses createdAt expiresAt revokedAt';

/** A mutation's payload as selected here: `invitation` on success, `code` … on a typed error. */
type InvitationResult = {
  __typename: string;
  invitation: InvitationView;
  code?: string;
  field?: string | null;
};
const RESULT = (success: string) =>
  `__typename ${TYPED_ERROR} ... on ${success} { invitation { ${FIELDS} } }`;

function create(args: { maxUses?: number; expiresInDays?: number }, identity: Identity | null) {
  return hub.gql<{ createInvitation: InvitationResult }>(
    `mutation($input: CreateInvitationInput!) {
      createInvitation(input: $input) { ${RESULT('CreateInvitationSuccess')} }
    }`,
    { input: args },
    identity,
  );
}

async function newInvitation(args: { maxUses?: number; expiresInDays?: number } = {}) {
  const response = await create(args, inviter);
  expect(response.errors).toBeUndefined();
  expect(response.data!.createInvitation.__typename).toBe('CreateInvitationSuccess');
  return response.data!.createInvitation.invitation;
}

function revoke(id: string, identity: Identity) {
  return hub.gql<{ revokeInvitation: InvitationResult }>(
    `mutation($input: RevokeInvitationInput!) {
      revokeInvitation(input: $input) { ${RESULT('RevokeInvitationSuccess')} }
    }`,
    { input: { id } },
    identity,
  );
}

const isSignedUp = (response: Awaited<ReturnType<typeof signUp>>) =>
  response.data?.signUp.__typename === 'SignUpSuccess';

function signUp(
  invitationCode: string | null,
  email = newEmail('invited'),
  password = 'Haru-ga-kita-7',
) {
  return trySignUp(hub, {
    email,
    password,
    displayName: '招待された人',
    kind: 'STUDENT',
    invitationCode,
  });
}

const usesOf = async (id: string) =>
  (await hub.prisma.invitation.findUniqueOrThrow({ where: { id } })).uses;

describe('invitation codes', () => {
  it('use 10 characters without 0, O, 1 or I', () => {
    for (let i = 0; i < 200; i += 1) expect(newInvitationCode()).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
  });

  it('are read the way people type them', () => {
    expect(normaliseInvitationCode(' abcde-fghjk ')).toBe('ABCDEFGHJK');
    expect(normaliseInvitationCode('ＡＢＣＤＥ　ＦＧＨＪＫ')).toBe('ABCDEFGHJK');
  });
});

describe('createInvitation', () => {
  it('makes a 10-character unambiguous code, one use for 14 days by default', async () => {
    const invitation = await newInvitation();
    expect(invitation.code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(invitation).toMatchObject({ maxUses: 1, uses: 0, revokedAt: null });
    const days = (new Date(invitation.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeCloseTo(14, 1);
  });

  it.each([
    [{ maxUses: 0 }, 'maxUses'],
    [{ maxUses: 51 }, 'maxUses'],
    [{ expiresInDays: 0 }, 'expiresInDays'],
    [{ expiresInDays: 91 }, 'expiresInDays'],
  ])('refuses %j as InvalidInputError, writing nothing', async (args, field) => {
    const before = await hub.prisma.invitation.count({ where: { inviterId } });
    const response = await create(args, inviter);
    expect(response.errors).toBeUndefined();
    expect(response.data!.createInvitation).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: `input.${field}`,
    });
    expect(await hub.prisma.invitation.count({ where: { inviterId } })).toBe(before);
  });

  it('needs a signed-in member', async () => {
    expect(codeOf(await create({}, null))).toBe('UNAUTHENTICATED');
  });

  it('myInvitations lists only mine', async () => {
    const mine = await newInvitation({ maxUses: 3 });
    const listed = await hub.gql<{ myInvitations: { nodes: InvitationView[] } }>(
      `{ myInvitations(first: 100) { nodes { ${FIELDS} } } }`,
      undefined,
      inviter,
    );
    expect(listed.data!.myInvitations.nodes.map((invitation) => invitation.id)).toContain(mine.id);
    const other = await hub.prisma.member.create({
      data: { displayName: '別人', kind: 'STUDENT' },
    });
    const theirs = await hub.gql('{ myInvitations { totalCount nodes { id } } }', undefined, {
      ...asMember(other.id),
    });
    expect(theirs.data).toEqual({ myInvitations: { totalCount: 0, nodes: [] } });
  });

  it('myInvitations pages newest first with cursors, counts mine, and caps a page at 100', async () => {
    const someone = await hub.prisma.member.create({
      data: { displayName: '招待 五人', kind: 'STUDENT' },
    });
    const identity = asMember(someone.id);
    for (let i = 0; i < 5; i += 1) {
      const response = await create({}, identity);
      expect(response.data!.createInvitation.__typename).toBe('CreateInvitationSuccess');
    }
    const expected = await hub.prisma.invitation.findMany({
      where: { inviterId: someone.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    const PAGE = `query($after: String) { myInvitations(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`;
    type Page = {
      myInvitations: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { id: string }[];
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: { data?: Page | null } = await hub.gql<Page>(PAGE, { after }, identity);
      const connection = response.data!.myInvitations;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.nodes.map((node) => node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((row) => row.id));

    const tooMany = await hub.gql(
      '{ myInvitations(first: 101) { nodes { id } } }',
      undefined,
      identity,
    );
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });
});

describe('signing up with an invitation', () => {
  it('records the inviter as referrer and uses the code up', async () => {
    const invitation = await newInvitation();
    // As people type it: lower case, with a hyphen.
    const typed = `${invitation.code.slice(0, 5)}-${invitation.code.slice(5)}`.toLowerCase();
    const response = await signUp(typed);
    expect(response.errors).toBeUndefined();
    const member = await hub.prisma.member.findUniqueOrThrow({
      where: { id: response.data!.signUp.session.member.id },
    });
    expect(member.referredById).toBe(inviterId);
    expect(await usesOf(invitation.id)).toBe(1);
    // Matching learns the link for trust from the event written with the account.
    const referral = await hub.prisma.outboxEvent.findFirstOrThrow({
      where: { subject: member.id, type: 'members.referral.changed' },
    });
    expect((referral.payload as { data: unknown }).data).toEqual({
      memberId: member.id,
      referredById: inviterId,
      profileVisibility: 'members',
    });

    const before = await hub.prisma.member.count();
    const email = newEmail('invited');
    const again = await signUp(invitation.code, email);
    expect(again.errors).toBeUndefined();
    expect(again.data!.signUp).toMatchObject({
      __typename: 'CredentialError',
      code: 'INVALID_INVITATION',
      field: 'input.invitationCode',
    });
    // Nothing half-written: the email is still free.
    expect(await hub.prisma.member.count()).toBe(before);
    expect((await signUp(null, email)).errors).toBeUndefined();
  });

  it('refuses unknown, revoked and expired codes', async () => {
    expect(typedCodeOf(await signUp('ABCDEFGHJK'), 'signUp')).toBe('INVALID_INVITATION');

    const revoked = await newInvitation();
    const other = asMember(
      (
        await hub.prisma.member.create({
          data: { displayName: '他人', kind: 'STUDENT' },
        })
      ).id,
    );
    expect((await revoke(revoked.id, other)).data!.revokeInvitation).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.id',
    });
    const revocation = await revoke(revoked.id, inviter);
    expect(revocation.data!.revokeInvitation.invitation.revokedAt).not.toBeNull();
    expect(typedCodeOf(await signUp(revoked.code), 'signUp')).toBe('INVALID_INVITATION');

    const expired = await newInvitation();
    await hub.prisma.invitation.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await signUp(expired.code);
    expect(response.data!.signUp).toMatchObject({
      __typename: 'CredentialError',
      code: 'INVITATION_EXPIRED',
      field: 'input.invitationCode',
    });
    expect(await usesOf(expired.id)).toBe(0);
  });

  it('hub admins may revoke any invitation', async () => {
    const invitation = await newInvitation();
    expect((await revoke(invitation.id, asAdmin())).errors).toBeUndefined();
  });

  it('gives the use back when the sign-up fails after redeeming', async () => {
    // Same email three times at once, three different people (passwords): the unique index
    // refuses two inside their transactions.
    const invitation = await newInvitation({ maxUses: 3 });
    const email = newEmail('invited');
    const responses = await Promise.all(
      [1, 2, 3].map((n) => signUp(invitation.code, email, `Haru-ga-kita-${n}${n}`)),
    );
    expect(responses.filter(isSignedUp)).toHaveLength(1);
    expect(
      responses.filter((response) => typedCodeOf(response, 'signUp') === 'EMAIL_TAKEN'),
    ).toHaveLength(2);
    expect(await usesOf(invitation.id)).toBe(1);
  });

  it('never lets concurrent sign-ups exceed maxUses', async () => {
    const invitation = await newInvitation({ maxUses: 2 });
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => signUp(invitation.code)));
    expect(responses.filter(isSignedUp)).toHaveLength(2);
    expect(
      responses.filter((response) => typedCodeOf(response, 'signUp') === 'INVALID_INVITATION'),
    ).toHaveLength(3);
    expect(await usesOf(invitation.id)).toBe(2);
    expect(
      await hub.prisma.member.count({
        where: { referredById: inviterId },
      }),
    ).toBeGreaterThanOrEqual(3);
  }, 20_000);
});
