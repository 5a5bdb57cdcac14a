import { createEvent, type EventData } from '@hub/event-bus';
import type { Member, Prisma } from '../generated/prisma/client.js';

/** The facts of `members.member.profile-updated` (what other services keep about a member). */
export type ProfileFact = EventData<'members.member.profile-updated'>['changed'][number];

export function kindForEvent(kind: Member['kind']) {
  return kind.toLowerCase().replaceAll('_', '-') as EventData<'members.member.registered'>['kind'];
}

/**
 * The profile-updated event with the member's facts as they are now in this transaction, so a
 * consumer can replace its copy without asking back.
 */
export async function profileUpdatedEvent(
  tx: Prisma.TransactionClient,
  memberId: string,
  changed: ProfileFact[],
) {
  const member = await tx.member.findUniqueOrThrow({
    where: { id: memberId },
    include: { skills: { orderBy: { skillCode: 'asc' } } },
  });
  return createEvent('members.member.profile-updated', {
    source: 'members',
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
  });
}
