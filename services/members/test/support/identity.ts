import { randomUUID } from 'node:crypto';
import { type GraphQLResponse, sendAsGateway } from '@hub/testing';
import { expect } from '@jest/globals';
import type { MembersHarness } from './harness.js';

/** A password the policy accepts. */
export const PASSWORD = 'Yuki-no-hi-2024';

/** An email address no other test uses: `<label>.<uuid>@example.jp`. */
export const newEmail = (label: string) => `${label}.${randomUUID()}@example.jp`;

/** What signUp, signIn and refreshSession answer. */
export type AuthPayload = {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  member: { id: string; displayName: string; kind: string };
};

/** The selection of an AuthPayload. */
export const AUTH_PAYLOAD =
  'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt member { id displayName kind }';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${AUTH_PAYLOAD} } }`;
const SIGN_IN = `mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { ${AUTH_PAYLOAD} } }`;

/** signUp, anonymous: PASSWORD and a test persona, unless `input` gives others. */
export function trySignUp(
  hub: MembersHarness,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ signUp: AuthPayload }>> {
  return hub.gql(SIGN_UP, {
    input: { password: PASSWORD, displayName: '試験 花子', kind: 'FREELANCER', ...input },
  });
}

/** signIn, anonymous, from `clientAddress` as the gateway forwards it (null = unknown). */
export function trySignIn(
  hub: MembersHarness,
  email: string,
  password: string = PASSWORD,
  clientAddress: string | null = null,
): Promise<GraphQLResponse<{ signIn: AuthPayload }>> {
  return sendAsGateway(hub.service.url, SIGN_IN, { email, password }, { clientAddress });
}

/** A new account, signed in: the sign-up must succeed. */
export async function signedUp(
  hub: MembersHarness,
  input: { email: string } & Record<string, unknown>,
): Promise<AuthPayload & { email: string }> {
  const response = await trySignUp(hub, input);
  expect(response.errors).toBeUndefined();
  return { ...response.data!.signUp, email: input.email };
}

/** A new session of an account: the sign-in must succeed. */
export async function signedIn(
  hub: MembersHarness,
  email: string,
  password: string = PASSWORD,
): Promise<AuthPayload> {
  const response = await trySignIn(hub, email, password);
  expect(response.errors).toBeUndefined();
  return response.data!.signIn;
}
