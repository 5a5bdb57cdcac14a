import { createHash } from 'node:crypto';
import type { PartnerScope } from '@hub/identity';
import { keyRefusal } from '../domain/partners/partner-ceiling.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Keys look like `hub_<43 base64url chars>`; only the SHA-256 of the whole key is stored. */
export const API_KEY_PREFIX = 'hub_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What the gateway learns about a valid key (the body of the internal verify route). */
export type VerifiedApiKey = {
  keyId: string;
  organizationId: string;
  scopes: PartnerScope[];
  purpose: string | null;
  rateLimitPerMinute: number;
};

export type ApiKeyVerification =
  | { ok: true; key: VerifiedApiKey }
  | {
      ok: false;
      code:
        | 'UNAUTHENTICATED'
        | 'API_KEY_REVOKED'
        | 'API_KEY_EXPIRED'
        | 'NOT_A_PARTNER'
        | 'OUTSIDE_PARTNER_CEILING';
    };

// lastUsedAt is for people reading a key list, not an access log: one write a minute is enough
// and keeps verification a read on the hot path.
const LAST_USED_RESOLUTION_MS = 60_000;

export async function verifyApiKey(
  prisma: PrismaClient,
  key: string,
  now = new Date(),
): Promise<ApiKeyVerification> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) {
    return { ok: false, code: 'UNAUTHENTICATED' };
  }
  const row = await prisma.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    include: { organization: { select: { partnership: true } } },
  });
  if (!row) return { ok: false, code: 'UNAUTHENTICATED' };
  if (row.revokedAt) return { ok: false, code: 'API_KEY_REVOKED' };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, code: 'API_KEY_EXPIRED' };
  // The partnership as it is now, not as it was when the key was minted: a withdrawn status or
  // a lowered ceiling stops the key at the next verification (the gateway caches ≤ 10 s).
  const refusal = keyRefusal(row.organization.partnership, row);
  if (refusal) return { ok: false, code: refusal };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    key: {
      keyId: row.id,
      organizationId: row.organizationId,
      scopes: row.scopes as PartnerScope[],
      purpose: row.purpose,
      rateLimitPerMinute: row.rateLimitPerMinute,
    },
  };
}
