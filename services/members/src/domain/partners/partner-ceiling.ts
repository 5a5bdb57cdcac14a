import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  PARTNER_SCOPES,
  type PartnerScope,
} from '@hub/identity';
import { AppError } from '@hub/service-kit';
import { z } from 'zod';
import { PERSONAL_DATA_SCOPE } from '../../authorization/rules.js';
import type { Partnership, Prisma } from '../../generated/prisma/client.js';

// A partner's ceiling bounds every key its admins mint and every consent members give it: a
// key beyond it is refused when minted and when verified (the ceiling can be lowered later),
// a consent to a purpose outside it is refused when given and counts for nothing after.

/** The ceiling a hub admin grants: scopes a key may carry, purposes it may claim. */
export const ZPartnerCeiling = z
  .object({
    scopes: z
      .array(z.enum(PARTNER_SCOPES))
      .min(1, 'スコープを1つ以上指定してください (at least one scope)'),
    purposes: z.array(z.enum(CONSENT_PURPOSES)).default([]),
  })
  .superRefine((ceiling, context) => {
    const readsPersonalData = ceiling.scopes.includes(PERSONAL_DATA_SCOPE);
    // Personal data flows only for a purpose, and a purpose means nothing without the scope:
    // either would let members consent to a recipient that can never read, or the reverse.
    if (readsPersonalData && ceiling.purposes.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['purposes'],
        message:
          'members:personal:read には利用目的が1つ以上必要です (members:personal:read needs at least one purpose)',
      });
    }
    if (!readsPersonalData && ceiling.purposes.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['purposes'],
        message:
          '利用目的は members:personal:read と一緒にのみ指定できます (purposes need the members:personal:read scope)',
      });
    }
  });
export type TPartnerCeiling = z.output<typeof ZPartnerCeiling>;

type Standing = Pick<Partnership, 'scopes' | 'purposes' | 'withdrawnAt'>;

/** A partnership that is in force (granted and not withdrawn). */
export function isActivePartnership(partnership: Standing | null | undefined): boolean {
  return partnership != null && partnership.withdrawnAt === null;
}

/**
 * Why an organisation may not use a key with these scopes and purpose now — not a partner, or
 * beyond its ceiling — or null when it may.
 */
export function keyRefusal(
  partnership: Standing | null | undefined,
  key: { scopes: readonly string[]; purpose: string | null },
): 'NOT_A_PARTNER' | 'OUTSIDE_PARTNER_CEILING' | null {
  if (!partnership || !isActivePartnership(partnership)) return 'NOT_A_PARTNER';
  const scopesFit = key.scopes.every((scope) => partnership.scopes.includes(scope));
  const purposeFits = key.purpose === null || partnership.purposes.includes(key.purpose);
  return scopesFit && purposeFits ? null : 'OUTSIDE_PARTNER_CEILING';
}

/** Whether members may consent to this partner receiving their data for the purpose. */
export function receivesPersonalDataFor(
  partnership: Standing | null | undefined,
  purpose: ConsentPurpose,
): boolean {
  return (
    isActivePartnership(partnership) &&
    partnership!.scopes.includes(PERSONAL_DATA_SCOPE) &&
    partnership!.purposes.includes(purpose)
  );
}

export function notAPartner(field = 'organizationId'): AppError {
  return new AppError(
    'NOT_A_PARTNER',
    'この組織はパートナーではありません。パートナーの指定はハブ管理者が行います (the organisation is not a partner; a hub admin grants partner status)',
    { field },
  );
}

export function outsideCeiling(field: string, value: string): AppError {
  return new AppError(
    'OUTSIDE_PARTNER_CEILING',
    `${value} はこのパートナーに認められた範囲を超えています (${value} is beyond what this partner may use)`,
    { field },
  );
}

/** Throws unless a key with these scopes and purpose fits the organisation's partnership. */
export function assertKeyWithinCeiling(
  partnership: Standing | null | undefined,
  key: { scopes: readonly PartnerScope[]; purpose: ConsentPurpose | null },
): void {
  if (!partnership || !isActivePartnership(partnership)) throw notAPartner();
  const scope = key.scopes.find((candidate) => !partnership.scopes.includes(candidate));
  if (scope) throw outsideCeiling('scopes', scope);
  if (key.purpose !== null && !partnership.purposes.includes(key.purpose)) {
    throw outsideCeiling('purpose', key.purpose);
  }
}

/**
 * Locks the organisation's partnership row (if any) for the rest of the transaction and reads
 * it: minting a key (share) and withdrawing or changing the status (update) then run one after
 * the other, so no key is minted under a ceiling that was just withdrawn or lowered.
 */
export async function lockedPartnership(
  tx: Prisma.TransactionClient,
  organizationId: string,
  mode: 'share' | 'update',
): Promise<Partnership | null> {
  if (mode === 'share') {
    await tx.$queryRaw`SELECT 1 FROM partnership WHERE organization_id = ${organizationId}::uuid FOR SHARE`;
  } else {
    await tx.$queryRaw`SELECT 1 FROM partnership WHERE organization_id = ${organizationId}::uuid FOR UPDATE`;
  }
  return tx.partnership.findUnique({ where: { organizationId } });
}

/** The audit entry's `fields` for a ceiling: ids and names only, never free text. */
export function ceilingFields(partnership: {
  basis: string;
  scopes: readonly string[];
  purposes: readonly string[];
}): string[] {
  return [
    `basis:${partnership.basis.toLowerCase().replaceAll('_', '-')}`,
    ...partnership.scopes.map((scope) => `scope:${scope}`),
    ...partnership.purposes.map((purpose) => `purpose:${purpose}`),
  ];
}
