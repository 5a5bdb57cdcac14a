import type { Identity } from '@hub/identity';
import { asAdmin, asMember } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { codeOf, newEmail, trySignUp, useMembers } from '../../test/support/index.js';
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

function create(args: { maxUses?: number; expiresInDays?: number }, identity: Identity | null) {
  return hub.gql<{ createInvitation: InvitationView }>(
    `mutation($maxUses: Int, $expiresInDays: Int) {
      createInvitation(maxUses: $maxUses, expiresInDays: $expiresInDays) { ${FIELDS} }
    }`,
    args,
    identity,
  );
}

async function newInvitation(args: { maxUses?: number; expiresInDays?: number } = {}) {
  const response = await create(args, inviter);
  expect(response.errors).toBeUndefined();
  return response.data!.createInvitation;
}

function revoke(id: string, identity: Identity) {
  return hub.gql<{ revokeInvitation: InvitationView }>(
    `mutation($id: ID!) { revokeInvitation(id: $id) { ${FIELDS} } }`,
    { id },
    identity,
  );
}

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
  ])('refuses %j', async (args, field) => {
    expect((await create(args, inviter)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
    });
  });

  it('needs a signed-in member', async () => {
    expect(codeOf(await create({}, null))).toBe('UNAUTHENTICATED');
  });

  it('myInvitations lists only mine', async () => {
    const mine = await newInvitation({ maxUses: 3 });
    const listed = await hub.gql<{ myInvitations: InvitationView[] }>(
      `{ myInvitations { ${FIELDS} } }`,
      undefined,
      inviter,
    );
    expect(listed.data!.myInvitations.map((invitation) => invitation.id)).toContain(mine.id);
    const other = await hub.prisma.member.create({
      data: { displayName: '別人', kind: 'STUDENT' },
    });
    const theirs = await hub.gql<{ myInvitations: InvitationView[] }>(
      '{ myInvitations { id } }',
      undefined,
      asMember(other.id),
    );
    expect(theirs.data).toEqual({ myInvitations: [] });
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
      where: { id: response.data!.signUp.member.id },
    });
    expect(member.referredById).toBe(inviterId);
    expect(await usesOf(invitation.id)).toBe(1);

    const before = await hub.prisma.member.count();
    const email = newEmail('invited');
    const again = await signUp(invitation.code, email);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INVITATION',
      field: 'invitationCode',
    });
    // Nothing half-written: the email is still free.
    expect(await hub.prisma.member.count()).toBe(before);
    expect((await signUp(null, email)).errors).toBeUndefined();
  });

  it('refuses unknown, revoked and expired codes', async () => {
    expect(codeOf(await signUp('ABCDEFGHJK'))).toBe('INVALID_INVITATION');

    const revoked = await newInvitation();
    const other = asMember(
      (
        await hub.prisma.member.create({
          data: { displayName: '他人', kind: 'STUDENT' },
        })
      ).id,
    );
    expect(codeOf(await revoke(revoked.id, other))).toBe('NOT_FOUND');
    const revocation = await revoke(revoked.id, inviter);
    expect(revocation.data!.revokeInvitation.revokedAt).not.toBeNull();
    expect(codeOf(await signUp(revoked.code))).toBe('INVALID_INVITATION');

    const expired = await newInvitation();
    await hub.prisma.invitation.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await signUp(expired.code);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INVITATION_EXPIRED',
      field: 'invitationCode',
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
    expect(responses.filter((response) => response.data?.signUp)).toHaveLength(1);
    expect(responses.filter((response) => codeOf(response) === 'EMAIL_TAKEN')).toHaveLength(2);
    expect(await usesOf(invitation.id)).toBe(1);
  });

  it('never lets concurrent sign-ups exceed maxUses', async () => {
    const invitation = await newInvitation({ maxUses: 2 });
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => signUp(invitation.code)));
    expect(responses.filter((response) => response.data?.signUp)).toHaveLength(2);
    expect(responses.filter((response) => codeOf(response) === 'INVALID_INVITATION')).toHaveLength(
      3,
    );
    expect(await usesOf(invitation.id)).toBe(2);
    expect(
      await hub.prisma.member.count({
        where: { referredById: inviterId },
      }),
    ).toBeGreaterThanOrEqual(3);
  }, 20_000);
});
