import { dateColumn, todayInJapan } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { memberRegisteredEvent, referralChangedEvent } from './member-events.js';
import {
  assertProfileCodes,
  normaliseInterests,
  PROFILE_VISIBILITIES,
  ZProfileFields,
} from './member-profile.js';
import { assertSkillLevels, ZSkillLevels } from './validate-skills.js';

export const ZRegisterMember = ZProfileFields.extend({
  id: z.uuid().optional(),
  skills: ZSkillLevels.default([]),
  profileVisibility: z.enum(PROFILE_VISIBILITIES).nullish(),
  /** Who referred them (sign-up with an invitation). */
  referredById: z.uuid().nullish(),
  /**
   * A coordinator registering a local worker: the new member is registered with this
   * organisation (a WORKER affiliation from today) in the same transaction.
   */
  organizationId: z.uuid().nullish(),
});
export type TRegisterMember = z.input<typeof ZRegisterMember>;

/**
 * Registers a member and announces it (`members.member.registered`, `members.referral.changed`,
 * and `members.affiliation.changed` when registered with an organisation) in the same
 * transaction.
 */
export async function registerMember(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Member> {
  const fields = parseInput(ZRegisterMember, input);
  assertProfileCodes(fields);
  assertSkillLevels(fields.skills);
  const { skills, links, interests, organizationId, referredById, ...memberFields } = fields;
  return commit(db, async (tx, emit) => {
    if (referredById) {
      const referrer = await tx.member.findUnique({ where: { id: referredById } });
      if (!referrer) {
        throw new AppError('NOT_FOUND', '紹介者が見つかりません (referrer not found)', {
          field: 'referredById',
        });
      }
    }
    if (organizationId) {
      const organization = await tx.organization.findUnique({ where: { id: organizationId } });
      if (!organization) {
        throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
          field: 'organizationId',
        });
      }
    }
    const member = await tx.member.create({
      data: {
        ...memberFields,
        relocationInterest: memberFields.relocationInterest ?? undefined,
        profileVisibility: memberFields.profileVisibility ?? undefined,
        interests: normaliseInterests(interests),
        referredById: referredById ?? null,
        skills: { create: skills.map((s) => ({ skillCode: s.code, level: s.level })) },
        links: { create: (links ?? []).map((link, position) => ({ ...link, position })) },
      },
    });
    emit(memberRegisteredEvent(member, skills));
    emit(referralChangedEvent(member));
    if (organizationId) {
      const affiliation = await tx.affiliation.create({
        data: {
          memberId: member.id,
          organizationId,
          role: 'WORKER',
          startsOn: dateColumn(todayInJapan()),
          // The organisation registers someone without an account, with data it collected
          // itself: there is no one to ask, and nothing it did not already know.
          confirmedAt: new Date(),
        },
      });
      emit(affiliationChangedEvent(affiliation, 'started'));
    }
    return member;
  });
}
