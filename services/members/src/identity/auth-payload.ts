import type { PrismaClient } from '../generated/prisma/client.js';
import { memberIdentity, signAccessToken } from './access-tokens.js';
import type { IssuedRefreshToken } from './refresh-tokens.js';

/** What sign-up, sign-in and refresh return (the GraphQL AuthPayload resolves the member). */
export type AuthPayload = IssuedRefreshToken & {
  accessToken: string;
  accessTokenExpiresAt: Date;
  memberId: string;
};

/** Signs an access token for a session whose refresh token was just issued. */
export async function authPayload(
  prisma: PrismaClient,
  session: IssuedRefreshToken & {
    memberId: string;
    sessionId: string;
    roles: readonly string[];
    now: Date;
  },
): Promise<AuthPayload> {
  const identity = await memberIdentity(prisma, session);
  const access = await signAccessToken(prisma, identity, session.now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: session.refreshToken,
    refreshTokenExpiresAt: session.refreshTokenExpiresAt,
    memberId: session.memberId,
  };
}
