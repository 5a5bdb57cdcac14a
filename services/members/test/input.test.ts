import { randomBytes, randomUUID } from 'node:crypto';
import { PAGE_SIZE_MAX } from '@hub/service-kit';
import { asAdmin, asMember } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { THROTTLE } from '../src/identity/throttle.js';
import {
  codeOf,
  newEmail,
  newMember,
  PASSWORD,
  signedUp,
  trySignIn,
  typedCodeOf,
  useMembers,
} from './support/index.js';

// Bad input is refused at the schema boundary (the kit's input plugin) as BAD_USER_INPUT naming
// the argument — before, these reached PostgreSQL and came back as internal errors. Sign-in
// input that is refused still counts as a failed attempt of its client address.
const hub = useMembers();

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

function expectRefused(response: Errors, field: string) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const failuresFrom = async (clientAddress: string) =>
  Number(
    (
      await hub.rows('SELECT count(*) FROM sign_in_failure WHERE client_address = $1', [
        clientAddress,
      ])
    )[0]!.count,
  );

/** A client address no other test uses (in 2001:db8::/32, the documentation range). */
const newAddress = () => `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;

// ~7 KB of random hex: PostgreSQL cannot compress it below what a btree index entry holds
// (~2.7 KB), so recording the failure used to fail and the attempt went uncounted.
const hugeEmail = () => `${randomBytes(3500).toString('hex')}@example.jp`;
// 254 characters the schema lets through, which NFKC turns into 4,000+ (ﷺ is eighteen): no
// account has such an address, and sign-in must not try to store it as one.
const EXPANDING_EMAIL = `${'ﷺ'.repeat(243)}@example.jp`;

describe('signIn input that cannot be an address still counts against the client address', () => {
  it('locks the address after twenty 7 KB emails, as after twenty wrong passwords', async () => {
    const { email } = await signedUp(hub, { email: newEmail('victim') });
    const address = newAddress();
    const attempts = [];
    for (let attempt = 1; attempt <= THROTTLE.addressLimit; attempt += 1) {
      attempts.push(await trySignIn(hub, hugeEmail(), PASSWORD, address));
    }
    // The defect: these failures went unrecorded, so the right password still got in here.
    expect(codeOf(await trySignIn(hub, email, PASSWORD, address))).toBe('ACCOUNT_LOCKED');
    expect(await failuresFrom(address)).toBe(THROTTLE.addressLimit);
    for (const response of attempts) expectRefused(response, 'input.email');
    // Refused input from a locked address is told about the lock like any other attempt.
    expect(codeOf(await trySignIn(hub, hugeEmail(), PASSWORD, address))).toBe('ACCOUNT_LOCKED');
    // The account itself is not locked.
    expect(codeOf(await trySignIn(hub, email, PASSWORD, newAddress()))).toBeUndefined();
  }, 60_000);

  it.each([
    ['a NUL byte in the email', 'sora\u0000@example.jp', PASSWORD, 'BAD_USER_INPUT'],
    ['a lone surrogate in the email', 'sora\uD800@example.jp', PASSWORD, 'BAD_USER_INPUT'],
    ['a password over 128 characters', 'sora@example.jp', 'x'.repeat(129), 'BAD_USER_INPUT'],
    ['a NUL byte in the password', 'sora@example.jp', 'Pass\u0000word-2024', 'BAD_USER_INPUT'],
    ['an email NFKC makes too long', EXPANDING_EMAIL, PASSWORD, 'INVALID_CREDENTIALS'],
  ])('counts %s as one failure of the address', async (_label, email, password, code) => {
    const address = newAddress();
    const response = await trySignIn(hub, email, password, address);
    // The kit's refusals stay in errors[]; a refused credential is the payload's CredentialError.
    expect(codeOf(response) ?? typedCodeOf(response, 'signIn')).toBe(code);
    expect(JSON.stringify(response)).not.toMatch(/internal/i);
    expect(await failuresFrom(address)).toBe(1);
  });
});

describe('ids', () => {
  it('answers organization(id: "x") with BAD_USER_INPUT, not an internal error', async () => {
    expectRefused(await hub.gql('{ organization(id: "x") { id } }'), 'id');
  });

  it('refuses a members cursor holding a non-UUID id', async () => {
    const after = Buffer.from('GPC:S:x').toString('base64');
    expectRefused(
      await hub.gql(`{ members(first: 2, after: "${after}") { edges { cursor } } }`, {}, asAdmin()),
      'after',
    );
  });

  it('refuses a malformed id in a list inside an input', async () => {
    const response = await hub.gql(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }',
      { input: { name: '協議会', kind: 'CONSORTIUM', memberOrganizationIds: [randomUUID(), 'x'] } },
      asAdmin(),
    );
    expectRefused(response, 'input.memberOrganizationIds.1');
  });
});

describe('profile updates', () => {
  const UPDATE =
    'mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { __typename } }';

  it.each([
    ['a NUL byte in the bio', { bio: '自己紹介\u0000' }, 'input.bio'],
    [
      'a NUL byte in a link label',
      { links: [{ label: 'x\u0000', url: 'https://x.jp' }] },
      'input.links.0.label',
    ],
    ['a bio over 2000 characters', { bio: 'あ'.repeat(2001) }, 'input.bio'],
    ['an interest over 40 characters', { interests: ['ok', 'x'.repeat(41)] }, 'input.interests.1'],
  ])('refuses %s and changes nothing', async (_label, input, field) => {
    const memberId = await newMember(hub.prisma, { displayName: '変更 前' });
    const [before] = await hub.rows('SELECT * FROM member WHERE id = $1', [memberId]);
    expectRefused(await hub.gql(UPDATE, { input }, asMember(memberId)), field);
    expect(await hub.rows('SELECT * FROM member WHERE id = $1', [memberId])).toEqual([before]);
  });
});

describe('page sizes', () => {
  it.each([
    [`{ members(first: ${PAGE_SIZE_MAX + 1}) { edges { cursor } } }`, 'first'],
    ['{ organizations(first: -1) { edges { cursor } } }', 'first'],
    ['{ organizations(first: 1, last: 1) { edges { cursor } } }', 'last'],
    [`{ auditLog(memberId: "${randomUUID()}", first: 1000) { nodes { id } } }`, 'first'],
  ])('refuses %s as BAD_USER_INPUT on %s', async (query, field) => {
    expectRefused(await hub.gql(query, {}, asAdmin()), field);
  });
});
