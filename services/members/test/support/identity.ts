import { randomUUID } from 'node:crypto';
import { type GraphQLResponse, sendAsGateway } from '@hub/testing';
import { expect } from '@jest/globals';
import type { MembersHarness } from './harness.js';

/** A password the policy accepts. */
export const PASSWORD = 'Yuki-no-hi-2024';

/** An email address no other test uses: `<label>.<uuid>@example.jp`. */
export const newEmail = (label: string) => `${label}.${randomUUID()}@example.jp`;

/** The session signUp, signIn and refreshSession answer with (`AuthSession`). */
export type AuthPayload = {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  member: { id: string; displayName: string; kind: string };
};

/** The selection of an AuthSession. */
export const AUTH_PAYLOAD =
  'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt member { id displayName kind }';

/** The selection of a typed error (any family). */
export const TYPED_ERROR = '... on Error { code field message messageEn }';

/**
 * A mutation's payload as these tests select it: `session` on success, `code` … on a typed
 * error (`__typename` tells which; tests assert it before relying on either).
 */
export type AuthResult = {
  __typename: string;
  session: AuthPayload;
  code?: string;
  field?: string | null;
  message?: string;
  messageEn?: string;
};

/** The payload selection of signUp, signIn and refreshSession. */
export const AUTH_RESULT = (success: string) =>
  `__typename ${TYPED_ERROR} ... on ${success} { session { ${AUTH_PAYLOAD} } }`;

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${AUTH_RESULT('SignUpSuccess')} } }`;
const SIGN_IN = `mutation($input: SignInInput!) {
  signIn(input: $input) { ${AUTH_RESULT('SignInSuccess')} } }`;

/** The code of the typed error a mutation answered with (undefined on success or in errors[]). */
export function typedCodeOf(
  response: GraphQLResponse<Record<string, { code?: string } | null>>,
  mutation: string,
): string | undefined {
  return response.data?.[mutation]?.code;
}

/** signUp, anonymous: PASSWORD and a test persona, unless `input` gives others. */
export function trySignUp(
  hub: MembersHarness,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ signUp: AuthResult }>> {
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
): Promise<GraphQLResponse<{ signIn: AuthResult }>> {
  return sendAsGateway(hub.service.url, SIGN_IN, { input: { email, password } }, { clientAddress });
}

/** A new account, signed in: the sign-up must succeed. */
export async function signedUp(
  hub: MembersHarness,
  input: { email: string } & Record<string, unknown>,
): Promise<AuthPayload & { email: string }> {
  const response = await trySignUp(hub, input);
  expect(response.errors).toBeUndefined();
  expect(response.data!.signUp.__typename).toBe('SignUpSuccess');
  return { ...response.data!.signUp.session, email: input.email };
}

/** A new session of an account: the sign-in must succeed. */
export async function signedIn(
  hub: MembersHarness,
  email: string,
  password: string = PASSWORD,
): Promise<AuthPayload> {
  const response = await trySignIn(hub, email, password);
  expect(response.errors).toBeUndefined();
  expect(response.data!.signIn.__typename).toBe('SignInSuccess');
  return response.data!.signIn.session;
}
