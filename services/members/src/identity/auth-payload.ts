import type { MemberIdentity } from '@hub/identity';
import type { Member } from '../generated/prisma/client.js';
import { signAccessToken } from './access-tokens.js';
import type { IssuedRefreshToken } from './refresh-tokens.js';
import type { ActiveSigningKey } from './signing-keys.js';

/** What sign-up, sign-in and refresh return (the GraphQL AuthPayload resolves the member). */
export type AuthPayload = IssuedRefreshToken & {
  accessToken: string;
  accessTokenExpiresAt: Date;
  memberId: string;
  /** The member's row as the session's transaction wrote or read it: AuthPayload.member's
   * stand-in when the database cannot answer the field's own read. */
  member: Member;
};

/**
 * The answer for a session whose transaction has committed, built without reading the
 * database: the signing key was fetched before the transaction, the identity and the member
 * read inside it. A read failing now would tell the client that the sign-up, sign-in or
 * rotation failed although it committed — and a rotated refresh token the client never got
 * would count as reused when it retries with the old one.
 */
export async function authPayload(
  key: ActiveSigningKey,
  session: IssuedRefreshToken & { identity: MemberIdentity; member: Member; now: Date },
): Promise<AuthPayload> {
  const access = await signAccessToken(key, session.identity, session.now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: session.refreshToken,
    refreshTokenExpiresAt: session.refreshTokenExpiresAt,
    memberId: session.member.id,
    member: session.member,
  };
}
