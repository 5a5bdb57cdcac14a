import { asMember } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import {
  codeOf,
  newEmail,
  PASSWORD,
  signedUp,
  trySignIn,
  trySignUp,
  typedCodeOf,
  useMembers,
} from '../../test/support/index.js';
import { eraseMember } from '../domain/privacy/erase-member.js';
import { recordFailure, THROTTLE } from './throttle.js';

// Sign-up and sign-in over real HTTP on a fresh PostgreSQL database.
const hub = useMembers();
const OTHER_PASSWORD = 'Kaze-no-oto-2025';

const signUp = (input: Record<string, unknown>) => trySignUp(hub, input);
const signIn = (email: string, password: string, clientAddress: string | null = null) =>
  trySignIn(hub, email, password, clientAddress);

async function registered(label: string): Promise<{ email: string; memberId: string }> {
  const { email, member } = await signedUp(hub, { email: newEmail(label) });
  return { email, memberId: member.id };
}

const memberCount = () => hub.prisma.member.count();

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

describe('signUp', () => {
  it('creates the member, the account and member.registered in one go, and signs in', async () => {
    const email = newEmail('Hanako');
    const response = await signUp({
      email: `  ${email.toUpperCase().replace('@', '＠')} `,
      displayNameKana: 'しけん はなこ',
      kind: 'TELEWORKER',
      municipalityCode: '012157',
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp.__typename).toBe('SignUpSuccess');
    const payload = response.data!.signUp.session;
    expect(payload.member).toMatchObject({ displayName: '試験 花子', kind: 'TELEWORKER' });
    expect(payload.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const account = await hub.prisma.account.findUniqueOrThrow({
      where: { memberId: payload.member.id },
    });
    expect(account.email).toBe(email.toLowerCase());
    expect(account.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const events = await hub.prisma.outboxEvent.findMany({
      where: { subject: payload.member.id },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    });
    // Nobody introduced them (no invitation): the referral event says so.
    expect(events.map((event) => event.type)).toEqual([
      'members.member.registered',
      'members.referral.changed',
    ]);
    expect((events[0]!.payload as { data: unknown }).data).toMatchObject({
      kind: 'teleworker',
      municipalityCode: '012157',
      displayNameKana: 'しけん はなこ',
      skills: [],
    });

    const again = await signIn(email.toLowerCase(), PASSWORD);
    expect(again.data?.signIn.session.member.id).toBe(payload.member.id);
  });

  it('refuses a registered email, however it is written, and writes nothing', async () => {
    const { email } = await registered('taken');
    const before = await memberCount();
    const response = await signUp({ email: `  ${email.toUpperCase()}`, password: OTHER_PASSWORD });
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp).toEqual({
      __typename: 'ConflictError',
      code: 'EMAIL_TAKEN',
      field: 'input.email',
      message: 'メールアドレスは登録済みです',
      messageEn: 'email already registered',
    });
    expect(await memberCount()).toBe(before);
  });

  it('lets exactly one of concurrent sign-ups with the same email through', async () => {
    const email = newEmail('race');
    const before = await memberCount();
    const responses = await Promise.all(
      [1, 2, 3, 4].map((n) => signUp({ email, password: `${OTHER_PASSWORD}-${n}` })),
    );
    const success = (response: (typeof responses)[number]) =>
      response.data?.signUp.__typename === 'SignUpSuccess';
    expect(responses.filter(success)).toHaveLength(1);
    expect(
      responses.filter((response) => typedCodeOf(response, 'signUp') === 'EMAIL_TAKEN'),
    ).toHaveLength(3);
    expect(await memberCount()).toBe(before + 1);
  });

  it('answers the same sign-up sent several times at once with the one member it created', async () => {
    const email = newEmail('repeated');
    const before = await memberCount();
    const responses = await Promise.all([1, 2, 3].map(() => signUp({ email })));
    expect(responses.map((response) => response.errors)).toEqual([undefined, undefined, undefined]);
    const ids = new Set(responses.map((response) => response.data!.signUp.session.member.id));
    expect(ids.size).toBe(1);
    expect(await memberCount()).toBe(before + 1);
  });

  it.each([
    ['too short', 'Ab3-defg'],
    ['one kind only', 'kumonoueniiru'],
    ['common', 'Password123!'],
    ['containing the email', 'sora.tanaka-99'],
  ])('refuses a weak password (%s) with a reason and writes nothing', async (_label, password) => {
    const before = await memberCount();
    const response = await signUp({ email: `sora.tanaka@${Date.now()}.example.jp`, password });
    expect(response.data!.signUp).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'WEAK_PASSWORD',
      field: 'input.password',
      message: expect.stringMatching(/[ぁ-んァ-ン一-龯]/),
      messageEn: expect.stringMatching(/^[\x20-\x7e]+$/),
    });
    expect(await memberCount()).toBe(before);
  });

  it.each([
    [{ email: 'not-an-address' }, 'BAD_USER_INPUT', 'email'],
    [{ municipalityCode: '011001' }, 'INVALID_MUNICIPALITY_CODE', 'municipalityCode'],
    [{ displayName: '  ' }, 'BAD_USER_INPUT', 'displayName'],
  ])('refuses %j with %s', async (change, code, field) => {
    const before = await memberCount();
    const response = await signUp({ email: newEmail('invalid'), ...change });
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp).toMatchObject({
      __typename: 'InvalidInputError',
      code,
      field: `input.${field}`,
    });
    expect(await memberCount()).toBe(before);
  });
});

describe('signIn', () => {
  it('records a failure of an account erased since it was read, without an internal error', async () => {
    const { email, memberId } = await registered('vanishing');
    await eraseMember({ prisma: hub.prisma }, { memberId, requestedBy: 'admin' });

    // What a sign-in that read the account just before the erasure committed goes on to do.
    await recordFailure(
      hub.prisma,
      { email, clientAddress: '198.51.100.70', memberId },
      new Date(),
    );
    expect(await hub.prisma.signInFailure.count({ where: { email } })).toBe(1);
  });

  it('racing an erasure, every sign-in gets a clear answer, never an internal error', async () => {
    const { email, memberId } = await registered('racing');
    const attempts = Array.from({ length: 12 }, (_, index) =>
      signIn(email, index % 3 === 0 ? 'Wrong-password-1' : PASSWORD, `198.51.100.${80 + index}`),
    );
    const [erased, ...answers] = await Promise.all([
      eraseMember({ prisma: hub.prisma }, { memberId, requestedBy: 'admin' }),
      ...attempts,
    ]);

    expect(erased.memberId).toBe(memberId);
    for (const answer of answers) {
      // Typed errors for a refused credential or an erased member; never anything in errors[].
      expect(answer.errors).toBeUndefined();
      const code = typedCodeOf(answer, 'signIn');
      expect([undefined, 'INVALID_CREDENTIALS', 'MEMBER_ERASED']).toContain(code);
    }
  });

  it('refuses a wrong password and an unknown email alike, in comparable time', async () => {
    const { email } = await registered('alike');
    const [wrong, wrongMs] = await timed(() => signIn(email, 'Wrong-password-1'));
    const [unknown, unknownMs] = await timed(() => signIn(newEmail('nobody'), PASSWORD));
    const invalid = {
      __typename: 'CredentialError',
      code: 'INVALID_CREDENTIALS',
      field: null,
      message: 'メールアドレスまたはパスワードが正しくありません',
      messageEn: 'wrong email or password',
    };
    for (const response of [wrong, unknown]) {
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ signIn: invalid });
    }
    // Both run argon2; loose bounds, only to catch an unknown email skipping the hash.
    expect(unknownMs).toBeGreaterThan(wrongMs / 4);
  });

  it('slows down attempts after three consecutive failures', async () => {
    const { email } = await registered('slow');
    const [, firstMs] = await timed(() => signIn(email, 'Wrong-password-1'));
    await signIn(email, 'Wrong-password-2');
    await signIn(email, 'Wrong-password-3');
    const [fourth, fourthMs] = await timed(() => signIn(email, 'Wrong-password-4'));
    expect(typedCodeOf(fourth, 'signIn')).toBe('INVALID_CREDENTIALS');
    expect(fourthMs).toBeGreaterThanOrEqual(THROTTLE.firstDelayMs);
    expect(fourthMs).toBeGreaterThan(firstMs);
  }, 20_000);

  it('locks the account after five failures, even for the right password, until the lock ends', async () => {
    const { email, memberId } = await registered('lock');
    for (let attempt = 1; attempt <= THROTTLE.lockAfter; attempt += 1) {
      expect(typedCodeOf(await signIn(email, `Wrong-password-${attempt}`), 'signIn')).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    const refused = await signIn(email, PASSWORD);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const retryAfter = refused.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // The lock has run out; the failure count still stands until a success resets it.
    await hub.prisma.account.update({
      where: { memberId },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    const accepted = await signIn(email, PASSWORD);
    expect(accepted.data?.signIn.session.member.id).toBe(memberId);
    const account = await hub.prisma.account.findUniqueOrThrow({ where: { memberId } });
    expect(account).toMatchObject({ failedCount: 0, lockedUntil: null });
  }, 20_000);

  it('locks an email without an account the same way', async () => {
    const email = newEmail('ghost');
    for (let attempt = 1; attempt <= THROTTLE.lockAfter; attempt += 1) {
      expect(typedCodeOf(await signIn(email, PASSWORD), 'signIn')).toBe('INVALID_CREDENTIALS');
    }
    expect(codeOf(await signIn(email, PASSWORD))).toBe('ACCOUNT_LOCKED');
  }, 20_000);

  it('resets the failure count on success', async () => {
    const { email, memberId } = await registered('reset');
    await signIn(email, 'Wrong-password-1');
    await signIn(email, 'Wrong-password-2');
    expect((await hub.prisma.account.findUniqueOrThrow({ where: { memberId } })).failedCount).toBe(
      2,
    );
    await signIn(email, PASSWORD);
    expect((await hub.prisma.account.findUniqueOrThrow({ where: { memberId } })).failedCount).toBe(
      0,
    );
  });

  it('refuses every sign-in from an address after twenty failures there, whatever the email', async () => {
    const { email } = await registered('victim');
    const address = '198.51.100.20';
    for (let attempt = 1; attempt <= THROTTLE.addressLimit; attempt += 1) {
      expect(typedCodeOf(await signIn(newEmail('spray'), PASSWORD, address), 'signIn')).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    const refused = await signIn(email, PASSWORD, address);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // The account itself is not locked: another address signs in.
    expect((await signIn(email, PASSWORD, '198.51.100.21')).errors).toBeUndefined();
  }, 30_000);

  it('refuses an erased member', async () => {
    const { email, memberId } = await registered('erased');
    await hub.prisma.member.update({
      where: { id: memberId },
      data: { erasedAt: new Date() },
    });
    const response = await signIn(email, PASSWORD);
    expect(response.data!.signIn).toMatchObject({
      __typename: 'NotFoundError',
      code: 'MEMBER_ERASED',
    });
    const me = await hub.gql<{ me: unknown }>('{ me { id } }', undefined, asMember(memberId));
    expect(me.data).toEqual({ me: null });
  });
});
