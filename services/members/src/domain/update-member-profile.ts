import { type CommitContext, commit } from '@hub/event-bus';
import { parseInput } from '@hub/service-kit';
import type { Member, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { type ProfileFact, profileUpdatedEvent } from './member-events.js';
import { lockLiveMember, type MemberField } from './member-guard.js';
import { assertProfileCodes, normaliseInterests, ZProfileFields } from './member-profile.js';

/** Absent keys stay as they are; null clears (displayName and kind cannot be cleared). */
export const ZProfilePatch = ZProfileFields.partial();

/**
 * Changes a member's profile. When a fact other services keep changes (name, kind, place,
 * availability) `members.member.profile-updated` is announced in the same commit.
 */
export async function updateMemberProfile(
  db: CommitContext<PrismaClient>,
  memberId: string,
  input: unknown,
  memberField: MemberField = 'memberId',
): Promise<Member> {
  const patch = parseInput(ZProfilePatch, input);
  assertProfileCodes(patch);
  const { links, interests, relocationInterest, ...scalars } = patch;
  const data: Prisma.MemberUpdateInput = {};
  for (const [key, value] of Object.entries(scalars)) {
    if (value !== undefined) Object.assign(data, { [key]: value });
  }
  if (relocationInterest !== undefined) data.relocationInterest = relocationInterest ?? 'NONE';
  if (interests !== undefined) data.interests = normaliseInterests(interests);
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, memberId, memberField);
    const before = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    const member = await tx.member.update({ where: { id: memberId }, data });
    if (links !== undefined) {
      // Links are an ordered list the member edits as a whole; replacing keeps positions simple.
      await tx.memberLink.deleteMany({ where: { memberId } });
      await tx.memberLink.createMany({
        data: (links ?? []).map((link, position) => ({ ...link, position, memberId })),
      });
    }
    const changed = changedFacts(before, member);
    if (changed.length > 0) emit(await profileUpdatedEvent(tx, memberId, changed));
    return member;
  });
}

function changedFacts(before: Member, after: Member): ProfileFact[] {
  const changed: ProfileFact[] = [];
  if (before.displayName !== after.displayName) changed.push('displayName');
  if (before.kind !== after.kind) changed.push('kind');
  if (
    before.municipalityCode !== after.municipalityCode ||
    before.homeMunicipalityCode !== after.homeMunicipalityCode
  ) {
    changed.push('municipality');
  }
  if (before.availableHoursPerWeek !== after.availableHoursPerWeek) changed.push('availability');
  return changed;
}
