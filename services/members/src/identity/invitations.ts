import { randomBytes } from 'node:crypto';
import { AppError } from '@hub/service-kit';
import type { Invitation, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { isUniqueViolation } from './prisma-errors.js';

/** The numbers docs/identity.md quotes; change both together. */
export const INVITATION_LIMITS = {
  maxUses: { min: 1, max: 50 },
  expiresInDays: { min: 1, max: 90 },
} as const;

// 32 symbols without 0/O and 1/I, read aloud or copied from paper without mistakes. 32 divides
// 256, so a random byte modulo 32 picks each symbol with equal chance.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
const CODE_ATTEMPTS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export function newInvitationCode(): string {
  return [...randomBytes(CODE_LENGTH)]
    .map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length])
    .join('');
}

/** People type codes in lower case, with spaces or hyphens, or full-width. */
export function normaliseInvitationCode(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

function assertInRange(value: number, range: { min: number; max: number }, field: string) {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new AppError(
      'BAD_USER_INPUT',
      `${field} は ${range.min}〜${range.max} で指定してください (must be ${range.min}–${range.max})`,
      { field },
    );
  }
}

export async function createInvitation(
  prisma: PrismaClient,
  options: { inviterId: string; maxUses: number; expiresInDays: number },
  now = new Date(),
): Promise<Invitation> {
  assertInRange(options.maxUses, INVITATION_LIMITS.maxUses, 'maxUses');
  assertInRange(options.expiresInDays, INVITATION_LIMITS.expiresInDays, 'expiresInDays');
  const inviter = await prisma.member.findUnique({
    where: { id: options.inviterId },
    select: { erasedAt: true },
  });
  if (!inviter || inviter.erasedAt) {
    throw new AppError('FORBIDDEN', '招待を作成できません (you cannot invite)');
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.invitation.create({
        data: {
          code: newInvitationCode(),
          inviterId: options.inviterId,
          maxUses: options.maxUses,
          createdAt: now,
          expiresAt: new Date(now.getTime() + options.expiresInDays * DAY_MS),
        },
      });
    } catch (error) {
      // 2^50 codes make a collision rare; retrying a few times makes it irrelevant.
      if (!isUniqueViolation(error) || attempt >= CODE_ATTEMPTS) throw error;
    }
  }
}

/** Newest first; `id` last makes the order total, as cursors need. */
export const INVITATION_ORDER = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.InvitationOrderByWithRelationInput[];

/** The inviter (or a hub admin) revokes; anyone else is told it does not exist. */
export async function revokeInvitation(
  prisma: PrismaClient,
  options: { id: string; memberId: string; isAdmin: boolean },
  now = new Date(),
): Promise<Invitation> {
  const invitation = await prisma.invitation.findUnique({ where: { id: options.id } });
  if (!invitation || (invitation.inviterId !== options.memberId && !options.isAdmin)) {
    throw new AppError('NOT_FOUND', '招待が見つかりません (invitation not found)', {
      field: 'id',
    });
  }
  if (invitation.revokedAt) return invitation;
  return prisma.invitation.update({ where: { id: options.id }, data: { revokedAt: now } });
}

/**
 * Uses one redemption of a code inside the sign-up transaction and returns the inviter. The
 * increment is conditional (not revoked, unexpired, uses < maxUses) and re-checked under the
 * row lock, so concurrent sign-ups never exceed maxUses; a failed sign-up rolls it back.
 */
export async function redeemInvitation(
  tx: Prisma.TransactionClient,
  rawCode: string,
  now: Date,
): Promise<string> {
  const code = normaliseInvitationCode(rawCode);
  const invalid = () =>
    new AppError('INVALID_INVITATION', '招待コードが無効です (invalid invitation code)', {
      field: 'invitationCode',
    });
  const invitation = await tx.invitation.findUnique({
    where: { code },
    select: {
      id: true,
      inviterId: true,
      expiresAt: true,
      revokedAt: true,
      inviter: { select: { erasedAt: true } },
    },
  });
  if (!invitation || invitation.revokedAt || invitation.inviter.erasedAt) throw invalid();
  if (invitation.expiresAt <= now) {
    throw new AppError(
      'INVITATION_EXPIRED',
      '招待コードの有効期限が切れています (invitation code expired)',
      { field: 'invitationCode' },
    );
  }
  const redeemed = await tx.invitation.updateMany({
    where: {
      id: invitation.id,
      revokedAt: null,
      expiresAt: { gt: now },
      uses: { lt: tx.invitation.fields.maxUses },
    },
    data: { uses: { increment: 1 } },
  });
  if (redeemed.count === 0) throw invalid();
  return invitation.inviterId;
}
