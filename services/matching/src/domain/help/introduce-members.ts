import { activeOn } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, hubAuthScopes, parseInput, requestToday } from '@hub/service-kit';
import { z } from 'zod';
import { callerStaffOrganizationIds } from '../../authorization/worker-access.js';
import type { MatchingContext } from '../../builder.js';
import { lockMember } from '../../events/lock-member.js';
import type { Introduction, PrismaClient } from '../../generated/prisma/client.js';

export const INTRODUCTION_NOTE_MAX = 1000;

const ZIntroduceMembers = z.object({
  memberAId: z.uuid(),
  memberBId: z.uuid(),
  note: z.string().trim().min(1).max(INTRODUCTION_NOTE_MAX),
});

/**
 * Who may introduce (issue 11): hub admins; staff (any staff role) of the operator of a space
 * where both members hold a home membership today (home_space × space.operator_id, from spaces'
 * events); and staff of an organisation both members are registered with today
 * (worker_affiliation). The organisation that allowed it is recorded — the operator when both
 * rules do (the issue names operators first), the smallest id among several. A caller who may
 * not gets FORBIDDEN whether or not the members exist, so membership cannot be probed.
 */
async function introducingOrganization(
  context: MatchingContext,
  memberIds: readonly [string, string],
): Promise<string | null> {
  if (hubAuthScopes(context).admin) return null;
  const staffOf = callerStaffOrganizationIds(context);
  const today = requestToday(context);
  const [operators, affiliations] =
    staffOf.length === 0
      ? [[], []]
      : await Promise.all([
          // Only the caller's own organisations are looked at: nothing about other operators'
          // members is read.
          context.prisma.$queryRaw<{ operator_id: string }[]>`
            SELECT DISTINCT s.operator_id::text
              FROM home_space h JOIN space s ON s.space_id = h.space_id
             WHERE h.member_id = ANY(${[...memberIds]}::uuid[])
               AND s.operator_id = ANY(${staffOf}::uuid[])
               AND h.starts_on <= ${today}::date
               AND (h.ends_on IS NULL OR h.ends_on >= ${today}::date)
             GROUP BY s.operator_id, h.space_id
            HAVING count(DISTINCT h.member_id) = 2`,
          context.prisma.workerAffiliation.findMany({
            where: {
              memberId: { in: [...memberIds] },
              organizationId: { in: staffOf },
              ...activeOn(today),
            },
            select: { memberId: true, organizationId: true },
          }),
        ]);
  const operator = operators.map((row) => row.operator_id).sort()[0];
  if (operator) return operator;
  const shared = staffOf
    .filter((org) =>
      memberIds.every((member) =>
        affiliations.some((a) => a.memberId === member && a.organizationId === org),
      ),
    )
    .sort();
  if (shared[0]) return shared[0];
  throw new AppError(
    'FORBIDDEN',
    '二人がホームにしている拠点の運営組織のスタッフ、二人とも登録している組織のスタッフ、またはハブ管理者だけが紹介できます (only staff of the operator of a space both members call home, staff of an organisation both are registered with, or a hub admin may introduce them)',
  );
}

/** Introduces two members with a note and announces it (`matching.introduction.made`). */
export async function introduceMembers(
  context: MatchingContext & CommitContext<PrismaClient>,
  introducedById: string,
  input: unknown,
): Promise<Introduction> {
  const { memberAId, memberBId, note } = parseInput(ZIntroduceMembers, input);
  if (memberAId === memberBId) {
    throw new AppError('BAD_USER_INPUT', '異なる二人を指定してください (two different members)', {
      field: 'memberBId',
    });
  }
  const organizationId = await introducingOrganization(context, [memberAId, memberBId]);
  if (organizationId === null) {
    // A hub admin names anyone: both must be members matching knows (and not erased).
    const known = await context.prisma.worker.findMany({
      where: { memberId: { in: [memberAId, memberBId] } },
      select: { memberId: true },
    });
    for (const [field, id] of [
      ['memberAId', memberAId],
      ['memberBId', memberBId],
    ] as const) {
      if (!known.some((worker) => worker.memberId === id)) {
        throw new AppError('NOT_FOUND', '会員が見つかりません (member not found)', { field });
      }
    }
  }
  return commit(context, async (tx, emit) => {
    // The erasure deletes every introduction naming the member under this lock: taken here (in
    // one order, so two introductions never wait on each other), a member erased since the checks
    // above is refused instead of being named by a new row the erasure has already passed.
    for (const memberId of [memberAId, memberBId].sort()) await lockMember(tx, memberId);
    const erased = await tx.erasedMember.findMany({
      where: { memberId: { in: [memberAId, memberBId] } },
      select: { memberId: true },
    });
    if (erased.length > 0) {
      throw new AppError('NOT_FOUND', '会員が見つかりません (member not found)', {
        field: erased.some((row) => row.memberId === memberAId) ? 'memberAId' : 'memberBId',
      });
    }
    const introduction = await tx.introduction.create({
      data: { memberAId, memberBId, introducedById, organizationId, note },
    });
    emit({
      type: 'matching.introduction.made',
      subject: introduction.id,
      data: {
        introductionId: introduction.id,
        memberAId,
        memberBId,
        introducedById,
        organizationId,
      },
    });
    return introduction;
  });
}
