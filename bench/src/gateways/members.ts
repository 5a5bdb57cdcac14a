import { randomBytes } from 'node:crypto';
import {
  IDENTITY_HEADER,
  identityFromAccessToken,
  type MemberIdentity,
  signForwardedIdentity,
} from '@hub/identity';
import { graphql } from '../hub.js';

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { __typename ... on SignUpSuccess { session { accessToken } } ... on Error { code messageEn } }
}`;
const SIGN_IN = `mutation ($input: SignInInput!) {
  signIn(input: $input) { __typename ... on SignInSuccess { session { accessToken } } ... on Error { code messageEn } }
}`;

export type BenchMember = { accessToken: string; identity: MemberIdentity };

type SessionPayload = { __typename: string; session?: { accessToken: string }; code?: string };

function accessTokenOf(payload: SessionPayload): string {
  if (!payload.session) throw new Error(`${payload.__typename} ${payload.code ?? ''}`);
  return payload.session.accessToken;
}

/**
 * Creates `count` members with accounts through the API and signs each in, as a client would:
 * the project gateway is sent their bearer tokens; Hive Gateway, which cannot verify the hub's
 * tokens, is sent the identity the project gateway forwards for them (see hiveIdentityHeaders).
 */
export async function createBenchMembers(gateway: string, count: number): Promise<BenchMember[]> {
  const members: BenchMember[] = [];
  const run = randomBytes(4).toString('hex');
  for (let i = 0; i < count; i += 1) {
    const email = `bench-gw-${run}-${i}@example.com`;
    const password = `bench-${randomBytes(12).toString('hex')}`;
    const signedUp = await graphql<{ signUp: SessionPayload }>(gateway, SIGN_UP, {
      input: { email, password, displayName: `ベンチ 会員${i}`, kind: 'TELEWORKER' },
    });
    accessTokenOf(signedUp.signUp);
    const signedIn = await graphql<{ signIn: SessionPayload }>(gateway, SIGN_IN, {
      input: { email, password },
    });
    const accessToken = accessTokenOf(signedIn.signIn);
    members.push({ accessToken, identity: identityOfToken(accessToken) });
  }
  return members;
}

/**
 * The member an access token stands for, read from its payload the way the gateway reads it
 * after verifying the signature (the token comes straight from members here, so the bench does
 * not verify it again).
 */
export function identityOfToken(accessToken: string): MemberIdentity {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString());
  const identity = identityFromAccessToken(payload);
  if (!identity) throw new Error('an access token without a member identity');
  return identity;
}

// The project gateway reuses a signed header for 20 s of its 60 s validity; so does the bench.
const REUSE_MS = 20_000;

/**
 * Headers that make Hive Gateway's subgraph calls carry what the project gateway's carry for the
 * same caller: the identity signed with the gateway secret, from the client address the project
 * gateway sees for the bench (loopback). Re-signed before the signature ages out in long runs.
 */
export function hiveIdentityHeaders(
  secret: string,
  now: () => number = Date.now,
): (identity: MemberIdentity | null) => Record<string, string> {
  const signed = new Map<string, { header: string; until: number }>();
  return (identity) => {
    const key = identity ? identity.memberId : '';
    const reused = signed.get(key);
    if (reused && reused.until > now()) return { [IDENTITY_HEADER]: reused.header };
    const header = signForwardedIdentity({ identity, clientAddress: '127.0.0.1' }, secret);
    signed.set(key, { header, until: now() + REUSE_MS });
    return { [IDENTITY_HEADER]: header };
  };
}
