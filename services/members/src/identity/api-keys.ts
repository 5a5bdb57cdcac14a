import { randomBytes } from 'node:crypto';
import { CONSENT_PURPOSES, PARTNER_SCOPES } from '@hub/identity';
import { AppError, parseInput, zInstant } from '@hub/service-kit';
import { z } from 'zod';
import { assertKeyWithinCeiling, lockedPartnership } from '../domain/partners/partner-ceiling.js';
import type { ApiKey, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { API_KEY_PREFIX, hashApiKey } from './api-key-verification.js';

/** The numbers docs/identity.md quotes; change both together. */
export const API_KEY_LIMITS = {
  secretBytes: 32,
  /** Characters after `hub_` kept to recognise a key in lists. */
  displayPrefixLength: 8,
  rateLimitPerMinute: { default: 600, min: 1, max: 10_000 },
} as const;

export const ZCreateApiKey = z.object({
  organizationId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.enum(PARTNER_SCOPES))
    .min(1, 'スコープを1つ以上指定してください (at least one scope)'),
  purpose: z.enum(CONSENT_PURPOSES).nullish(),
  expiresAt: zInstant.nullish(),
  rateLimitPerMinute: z
    .number()
    .int()
    .min(API_KEY_LIMITS.rateLimitPerMinute.min)
    .max(API_KEY_LIMITS.rateLimitPerMinute.max)
    .nullish(),
});
export type TCreateApiKey = z.input<typeof ZCreateApiKey>;

/** Who acts, for the audit log. */
export type ApiKeyActor = { memberId: string | null; requestId: string };

export function isApiKeyActive(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()) {
  return !key.revokedAt && (!key.expiresAt || key.expiresAt > now);
}

/**
 * Creates a key for a partner organisation, within its ceiling (NOT_A_PARTNER,
 * OUTSIDE_PARTNER_CEILING otherwise). The secret is returned here and never again: only its
 * SHA-256 and a short display prefix are stored. Personal data needs a declared purpose.
 */
export async function createApiKey(
  prisma: PrismaClient,
  input: unknown,
  actor: ApiKeyActor,
  now = new Date(),
): Promise<{ apiKey: ApiKey; secret: string }> {
  const fields = parseInput(ZCreateApiKey, input);
  if (fields.scopes.includes('members:personal:read') && !fields.purpose) {
    throw new AppError(
      'BAD_USER_INPUT',
      '個人データを読むキーには利用目的が必要です (members:personal:read needs a purpose)',
      { field: 'purpose' },
    );
  }
  if (fields.expiresAt && fields.expiresAt <= now) {
    throw new AppError(
      'BAD_USER_INPUT',
      '有効期限は未来にしてください (expiresAt must be in the future)',
      {
        field: 'expiresAt',
      },
    );
  }
  const organization = await prisma.organization.findUnique({
    where: { id: fields.organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
      field: 'organizationId',
    });
  }
  const body = randomBytes(API_KEY_LIMITS.secretBytes).toString('base64url');
  const secret = `${API_KEY_PREFIX}${body}`;
  const apiKey = await prisma.$transaction(async (tx) => {
    // Keys are for partners only, within the ceiling a hub admin granted — whoever mints them,
    // hub admins included. The lock keeps a concurrent withdrawal from missing this key.
    assertKeyWithinCeiling(await lockedPartnership(tx, fields.organizationId, 'share'), {
      scopes: fields.scopes,
      purpose: fields.purpose ?? null,
    });
    const created = await tx.apiKey.create({
      data: {
        organizationId: fields.organizationId,
        name: fields.name,
        prefix: body.slice(0, API_KEY_LIMITS.displayPrefixLength),
        keyHash: hashApiKey(secret),
        scopes: [...new Set(fields.scopes)],
        purpose: fields.purpose ?? null,
        rateLimitPerMinute: fields.rateLimitPerMinute ?? API_KEY_LIMITS.rateLimitPerMinute.default,
        createdById: actor.memberId,
        createdAt: now,
        expiresAt: fields.expiresAt ?? null,
      },
    });
    await tx.auditLogEntry.create({
      data: {
        action: 'API_KEY_CREATED',
        at: now,
        actorMemberId: actor.memberId,
        organizationId: created.organizationId,
        apiKeyId: created.id,
        requestId: actor.requestId,
      },
    });
    return created;
  });
  return { apiKey, secret };
}

/** Revokes a key (idempotent: revoking a revoked key changes and logs nothing). */
export async function revokeApiKey(
  prisma: PrismaClient,
  id: string,
  actor: ApiKeyActor,
  now = new Date(),
): Promise<ApiKey> {
  return prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id } });
    if (!key) {
      throw new AppError('NOT_FOUND', 'API キーが見つかりません (API key not found)', {
        field: 'id',
      });
    }
    const revoked = await tx.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (revoked.count === 0) return key;
    await tx.auditLogEntry.create({
      data: {
        action: 'API_KEY_REVOKED',
        at: now,
        actorMemberId: actor.memberId,
        organizationId: key.organizationId,
        apiKeyId: key.id,
        requestId: actor.requestId,
      },
    });
    return { ...key, revokedAt: now };
  });
}

/** An organisation's keys page newest first; `id` last makes the order total, as cursors need. */
export const API_KEY_ORDER = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.ApiKeyOrderByWithRelationInput[];

/** The organisation a key belongs to (authorisation of revoke), or null if there is no key. */
export async function apiKeyOrganizationId(prisma: PrismaClient, id: string) {
  const key = await prisma.apiKey.findUnique({ where: { id }, select: { organizationId: true } });
  return key?.organizationId ?? null;
}
