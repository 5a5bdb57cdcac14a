import { activeOn } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, type Identity, parseInput, requestToday } from '@hub/service-kit';
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

const isHubAdmin = (identity: Identity | null) =>
  identity?.kind === 'member' && identity.roles.includes('admin');

/**
 * Who may introduce: hub admins, and staff (staff, coordinator, admin roles) of an organisation
 * both members are registered with today (worker_affiliation) — the organisation is recorded.
 * The issue's rule is "a space operator's staff for members homed at a space the organisation
 * operates"; matching learns home spaces from spaces' events in a separate read model, and
 * until it has them the shared organisation stands in. A caller who may not gets FORBIDDEN,
 * whether or not the members exist, so membership cannot be probed.
 */
async function introducingOrganization(
  context: MatchingContext,
  memberIds: readonly [string, string],
): Promise<string | null> {
  if (isHubAdmin(context.identity)) return null;
  const staffOf = callerStaffOrganizationIds(context);
  const affiliations = await context.prisma.workerAffiliation.findMany({
    where: {
      memberId: { in: [...memberIds] },
      organizationId: { in: staffOf },
      ...activeOn(requestToday(context)),
    },
    select: { memberId: true, organizationId: true },
  });
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
    '二人とも登録している組織のスタッフかハブ管理者だけが紹介できます (only staff of an organisation both members are registered with, or a hub admin, may introduce them)',
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
