import { DatabaseUnavailableError } from '@hub/service-kit';
import { asAdmin } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { newEmail, PASSWORD, trySignUp, useMembers } from '../../test/support/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { refreshSession } from './sessions.js';
import { signIn } from './sign-in.js';
import { SIGN_UP_RETRY_WINDOW_MS, signUp } from './sign-up.js';

// A sign-up, sign-in or refresh commits, then the database goes away (a failover, a dropped
// connection, an exhausted pool): the answer must still say what was committed (issue 7).
const hub = useMembers();

/**
 * The members Prisma client whose every call fails once a `$transaction` has committed, as if
 * the database went away right after the commit.
 */
function failingAfterCommit(prisma: PrismaClient): PrismaClient {
  let hasCommitted = false;
  const gone = () =>
    Promise.reject(new DatabaseUnavailableError('connection-lost', 'the connection was lost'));
  const failing = (delegate: object) =>
    new Proxy(delegate, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' && hasCommitted ? gone : value;
      },
    });
  return new Proxy(prisma, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === '$transaction') {
        return async (...args: Parameters<PrismaClient['$transaction']>) => {
          if (hasCommitted) return gone();
          const result = await (target.$transaction as (...a: unknown[]) => Promise<unknown>)(
            ...args,
          );
          hasCommitted = true;
          return result;
        };
      }
      if (typeof value === 'function') return hasCommitted ? gone : value.bind(target);
      if (value && typeof value === 'object' && typeof property === 'string') {
        return property.startsWith('$') ? value : failing(value);
      }
      return value;
    },
  }) as PrismaClient;
}

const input = (email: string) => ({
  email,
  password: PASSWORD,
  displayName: '試験 三郎',
  kind: 'FOUNDER',
});

describe('the answer after a commit', () => {
  it('a sign-up whose commit is followed by a dead database still answers with its session', async () => {
    const email = newEmail('after-commit');
    const payload = await signUp({ prisma: failingAfterCommit(hub.prisma) }, input(email));
    const account = await hub.prisma.account.findUniqueOrThrow({ where: { email } });
    expect(payload.member).toMatchObject({ id: account.memberId, displayName: '試験 三郎' });
    expect(payload.accessToken).toMatch(/^ey/);
    const session = await hub.prisma.refreshToken.count({
      where: { session: { memberId: account.memberId } },
    });
    expect(session).toBe(1);
  });

  it('a sign-in likewise', async () => {
    const email = newEmail('after-commit-in');
    const { memberId } = await signUp({ prisma: hub.prisma }, input(email));
    const payload = await signIn(failingAfterCommit(hub.prisma), {
      email,
      password: PASSWORD,
      clientAddress: null,
    });
    expect(payload.member.id).toBe(memberId);
  });

  it('a refresh likewise — its new token is not lost, so no retry looks like a reuse', async () => {
    const first = await signUp({ prisma: hub.prisma }, input(newEmail('after-commit-refresh')));
    const rotated = await refreshSession(failingAfterCommit(hub.prisma), first.refreshToken);
    expect(rotated.memberId).toBe(first.memberId);
    const next = await refreshSession(hub.prisma, rotated.refreshToken);
    expect(next.memberId).toBe(first.memberId);
  });
});

describe('the same sign-up again', () => {
  it('after a lost answer, signs in to the account it created (a new session), not EMAIL_TAKEN', async () => {
    const email = newEmail('retry');
    const first = await signUp({ prisma: hub.prisma }, input(email));
    const before = await hub.prisma.member.count();
    const response = await trySignUp(hub, input(email));
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp.session.member.id).toBe(first.memberId);
    expect(response.data!.signUp.session.refreshToken).not.toBe(first.refreshToken);
    expect(await hub.prisma.member.count()).toBe(before);
  });

  it('with another password is EMAIL_TAKEN, counted as a failed sign-in of that account', async () => {
    const email = newEmail('retry-wrong');
    await signUp({ prisma: hub.prisma }, input(email));
    const response = await trySignUp(hub, { ...input(email), password: 'Tsuki-ga-deta-9' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp).toMatchObject({
      __typename: 'ConflictError',
      code: 'EMAIL_TAKEN',
      field: 'input.email',
    });
    const account = await hub.prisma.account.findUniqueOrThrow({ where: { email } });
    expect(account.failedCount).toBe(1);
  });

  it('long after the account was created is EMAIL_TAKEN, without touching its sign-in throttle', async () => {
    const email = newEmail('retry-late');
    await signUp({ prisma: hub.prisma }, input(email));
    const later = new Date(Date.now() + SIGN_UP_RETRY_WINDOW_MS + 60_000);
    await expect(
      signUp({ prisma: hub.prisma }, input(email), { now: later }),
    ).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
    const account = await hub.prisma.account.findUniqueOrThrow({ where: { email } });
    expect(account.failedCount).toBe(0);
  });
});

describe('AuthSession.member', () => {
  it.each([
    ['anonymous', null],
    ['a hub admin', asAdmin()],
  ])('answers %s as a query of that member would', async (_label, caller) => {
    const selection =
      'id displayName kind isErased createdAt skills { level } links { url } email affiliations { id }';
    const email = newEmail('payload-member');
    const response = await hub.gql<{ signUp: { session: { member: Record<string, unknown> } } }>(
      `mutation($input: SignUpInput!) {
        signUp(input: $input) { ... on SignUpSuccess { session { member { ${selection} } } } } }`,
      { input: input(email) },
      caller,
    );
    const member = response.data!.signUp.session.member;
    const queried = await hub.gql<{ member: Record<string, unknown> }>(
      `query($id: ID!) { member(id: $id) { ${selection} } }`,
      { id: member.id },
      caller,
    );
    // The same fields refused to the anonymous caller, for the same reason.
    const refusals = (errors: typeof response.errors, depth: number) =>
      (errors ?? []).map((error) => [error.extensions?.code, error.path?.slice(depth)]);
    expect(refusals(response.errors, 2)).toEqual(refusals(queried.errors, 0));
    expect(member).toEqual(queried.data!.member);
  });
});
