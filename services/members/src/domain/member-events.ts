import { type EventData, MEMBER_KINDS, PROFILE_VISIBILITIES } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { Member, Prisma } from '../generated/prisma/client.js';

/** The facts of `members.member.profile-updated` (what other services keep about a member). */
export type ProfileFact = EventData<'members.member.profile-updated'>['changed'][number];

/** A member's kind as events spell it (`small-business`). */
function kindForEvent(kind: Member['kind']) {
  return MEMBER_KINDS.valueOf(kind);
}

/** `members.member.registered` for a member just created, with the skills they listed. */
export function memberRegisteredEvent(
  member: Member,
  skills: readonly { code: string; level: number }[],
): EventDraft {
  return {
    type: 'members.member.registered',
    subject: member.id,
    data: {
      memberId: member.id,
      displayName: member.displayName,
      displayNameKana: member.displayNameKana,
      kind: kindForEvent(member.kind),
      municipalityCode: member.municipalityCode,
      skills: skills.map(({ code, level }) => ({ code, level })),
    },
  };
}

/**
 * The profile-updated event with the member's facts as they are now in this transaction, so a
 * consumer can replace its copy without asking back.
 */
export async function profileUpdatedEvent(
  tx: Prisma.TransactionClient,
  memberId: string,
  changed: ProfileFact[],
): Promise<EventDraft> {
  const member = await tx.member.findUniqueOrThrow({
    where: { id: memberId },
    include: { skills: { orderBy: { skillCode: 'asc' } } },
  });
  return {
    type: 'members.member.profile-updated',
    subject: member.id,
    data: {
      memberId: member.id,
      displayName: member.displayName,
      kind: kindForEvent(member.kind),
      municipalityCode: member.municipalityCode,
      homeMunicipalityCode: member.homeMunicipalityCode,
      availableHoursPerWeek: member.availableHoursPerWeek,
      skills: member.skills.map((skill) => ({
        code: skill.skillCode,
        level: skill.level,
        isVerified: skill.isVerified,
      })),
      changed,
    },
  };
}

/**
 * `members.referral.changed` with the member's referral facts as they are in this transaction
 * (who introduced them, and the visibility that decides who sees the links to those they
 * introduced). Emitted wherever either changes: registration, setProfileVisibility, erasure.
 */
export function referralChangedEvent(
  member: Pick<Member, 'id' | 'referredById' | 'profileVisibility'>,
): EventDraft<'members.referral.changed'> {
  return {
    type: 'members.referral.changed',
    subject: member.id,
    data: {
      memberId: member.id,
      referredById: member.referredById,
      profileVisibility: PROFILE_VISIBILITIES.valueOf(member.profileVisibility),
    },
  };
}
