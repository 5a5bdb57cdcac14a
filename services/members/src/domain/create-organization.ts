import { dateColumn, todayInJapan } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { checkCorporateNumber } from '@hub/jp-codes';
import {
  AppError,
  assertMunicipalityCode,
  httpUrl,
  parseInput,
  type SpeaksFor,
} from '@hub/service-kit';
import { z } from 'zod';
import { type Organization, Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { CALLER, lockLiveMember } from './member-guard.js';

const ORGANIZATION_KINDS = [
  'GOVERNMENT_BUREAU',
  'MUNICIPALITY',
  'BANK',
  'UNIVERSITY',
  'PUBLIC_FINANCE_CORPORATION',
  'COOPERATIVE',
  'CONSORTIUM',
  'SPACE_OPERATOR',
  'CLIENT_COMPANY',
  'NONPROFIT',
] as const;

export const ZCreateOrganization = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(200),
  nameKana: z.string().trim().max(200).nullish(),
  nameEn: z.string().trim().max(200).nullish(),
  kind: z.enum(ORGANIZATION_KINDS),
  municipalityCode: z.string().nullish(),
  corporateNumber: z.string().nullish(),
  description: z.string().max(5000).nullish(),
  websiteUrl: httpUrl().nullish(),
  /** For a consortium: the organizations that make it up. */
  memberOrganizationIds: z.array(z.uuid()).max(200).default([]),
});

export type CreateOrganizationOptions = {
  /**
   * The member creating it for themself: they become its ADMIN from today, in the same
   * transaction, so an organisation never exists without someone who can manage it.
   */
  adminMemberId?: string | null;
  /**
   * Which member organisations of a consortium the creator speaks for: those memberships count
   * at once, the others wait for their admin (consortium-membership.ts) and are listed nowhere
   * public until then. Left out: none (every membership waits) — safe for any caller.
   */
  speaksFor?: SpeaksFor;
};

const corporateNumberTaken = () =>
  new AppError('CONFLICT', 'この法人番号は登録済みです (corporate number already registered)', {
    field: 'corporateNumber',
  });

/**
 * Creates an organization (and its consortium memberships) and announces it. Memberships are
 * not announced: no other service keeps them.
 */
export async function createOrganization(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: CreateOrganizationOptions = {},
): Promise<Organization> {
  const speaksFor = options.speaksFor ?? (() => false);
  const { memberOrganizationIds, ...fields } = parseInput(ZCreateOrganization, input);
  if (fields.municipalityCode != null) assertMunicipalityCode(fields.municipalityCode);
  if (fields.corporateNumber != null) {
    const check = checkCorporateNumber(fields.corporateNumber);
    if (!check.isValid) {
      throw new AppError(
        'INVALID_CORPORATE_NUMBER',
        `法人番号「${fields.corporateNumber}」が正しくありません (invalid corporate number: ${check.reason})`,
        { field: 'corporateNumber' },
      );
    }
  }
  if (memberOrganizationIds.length > 0 && fields.kind !== 'CONSORTIUM') {
    throw new AppError(
      'BAD_USER_INPUT',
      '構成団体を持てるのはコンソーシアムのみです (only a consortium has member organizations)',
      { field: 'memberOrganizationIds' },
    );
  }
  try {
    return await commit(db, async (tx, emit) => {
      if (options.adminMemberId) await lockLiveMember(tx, options.adminMemberId, CALLER);
      if (fields.corporateNumber) {
        const taken = await tx.organization.findUnique({
          where: { corporateNumber: fields.corporateNumber },
        });
        if (taken) throw corporateNumberTaken();
      }
      const found = await tx.organization.count({ where: { id: { in: memberOrganizationIds } } });
      if (found !== new Set(memberOrganizationIds).size) {
        throw new AppError(
          'NOT_FOUND',
          '構成団体が見つかりません (member organization not found)',
          { field: 'memberOrganizationIds' },
        );
      }
      const now = new Date();
      const organization = await tx.organization.create({
        data: {
          ...fields,
          consortiumOf: {
            create: [...new Set(memberOrganizationIds)].map((memberId) => ({
              memberId,
              confirmedAt: speaksFor(memberId) ? now : null,
            })),
          },
        },
      });
      emit('members.organization.created', {
        subject: organization.id,
        data: {
          organizationId: organization.id,
          name: organization.name,
          kind: organization.kind.toLowerCase().replaceAll('_', '-'),
          municipalityCode: organization.municipalityCode,
        },
      });
      if (options.adminMemberId) {
        const affiliation = await tx.affiliation.create({
          data: {
            memberId: options.adminMemberId,
            organizationId: organization.id,
            role: 'ADMIN',
            startsOn: dateColumn(todayInJapan()),
            // The creator asked for it themself.
            confirmedAt: new Date(),
          },
        });
        emit(affiliationChangedEvent(affiliation, 'started'));
      }
      return organization;
    });
  } catch (error) {
    // Two creations with one corporate number can both pass the check; the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw corporateNumberTaken();
    }
    throw error;
  }
}
