import { isoDate, PATROL_REQUEST_KINDS, SPACE_MEMBERSHIP_PLANS } from '@hub/contracts';
import type { SpacesContext } from '../builder.js';

/**
 * What the spaces service holds about one member, for the member's data export (APPI
 * disclosure): their memberships (home spaces) and passes with the days they used them, the
 * patrol-visit requests they made, and the visits they made or recorded as a supporter's staff. Spaces, municipalities and operators are places and organisations, not
 * people. Check-ins are the member's stays (entry/exit record) — every one, whichever space
 * (the same visits Member.visits shows them) — and checkInOverrides the stays they let through
 * as staff. Bookings will join when spaces
 * records them — and the erasure consumer (events/member-erasure.ts) with them.
 */
export type TMemberDataExport = {
  bookings: unknown[];
  checkIns: {
    id: string;
    spaceId: string;
    roomId: string | null;
    checkedInAt: string;
    checkedOutAt: string | null;
    automatic: boolean;
    overriddenBy: string | null;
    overrideReason: string | null;
  }[];
  /** Check-ins the member, as staff, let through although refused or full (whom is not theirs). */
  checkInOverrides: {
    visitId: string;
    spaceId: string;
    checkedInAt: string;
    reason: string | null;
  }[];
  memberships: {
    id: string;
    spaceId: string;
    spaceName: string;
    plan: string;
    startsOn: string;
    endsOn: string | null;
  }[];
  passes: {
    id: string;
    networkId: string;
    networkName: string;
    membershipId: string;
    validFrom: string;
    validUntil: string;
    redemptions: { hostSpaceId: string; date: string }[];
  }[];
  patrolRequests: {
    id: string;
    visitId: string;
    spaceId: string;
    visitedOn: string;
    kind: string;
    subject: string;
  }[];
  patrolVisits: { id: string; spaceId: string; visitedOn: string; as: string[] }[];
  note: string;
};

export async function exportMemberData(
  memberId: string,
  context: Pick<SpacesContext, 'prisma'>,
): Promise<TMemberDataExport> {
  const [memberships, passes, requests, visits, stays, overrides] = await Promise.all([
    context.prisma.spaceMembership.findMany({
      where: { memberId },
      orderBy: [{ startsOn: 'asc' }, { id: 'asc' }],
      include: { space: { select: { name: true } } },
    }),
    context.prisma.pass.findMany({
      where: { memberId },
      orderBy: [{ validFrom: 'asc' }, { id: 'asc' }],
      include: {
        network: { select: { name: true } },
        redemptions: { orderBy: [{ date: 'asc' }, { id: 'asc' }] },
      },
    }),
    context.prisma.patrolRequest.findMany({
      where: { requesterMemberId: memberId },
      include: { visit: { select: { spaceId: true, visitedOn: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    context.prisma.patrolVisit.findMany({
      where: { OR: [{ visitorIds: { has: memberId } }, { recordedBy: memberId }] },
      orderBy: [{ visitedOn: 'asc' }, { id: 'asc' }],
    }),
    context.prisma.visit.findMany({
      where: { memberId },
      orderBy: [{ checkedInAt: 'asc' }, { id: 'asc' }],
    }),
    context.prisma.visit.findMany({
      where: { overrideBy: memberId },
      orderBy: [{ checkedInAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  return {
    bookings: [],
    checkIns: stays.map((stay) => ({
      id: stay.id,
      spaceId: stay.spaceId,
      roomId: stay.roomId,
      checkedInAt: stay.checkedInAt.toISOString(),
      checkedOutAt: stay.checkedOutAt?.toISOString() ?? null,
      automatic: stay.autoCheckedOut,
      overriddenBy: stay.overrideBy,
      overrideReason: stay.overrideReason,
    })),
    checkInOverrides: overrides.map((stay) => ({
      visitId: stay.id,
      spaceId: stay.spaceId,
      checkedInAt: stay.checkedInAt.toISOString(),
      reason: stay.overrideReason,
    })),
    memberships: memberships.map((membership) => ({
      id: membership.id,
      spaceId: membership.spaceId,
      spaceName: membership.space.name,
      plan: SPACE_MEMBERSHIP_PLANS.valueOf(membership.plan),
      startsOn: isoDate(membership.startsOn),
      endsOn: membership.endsOn ? isoDate(membership.endsOn) : null,
    })),
    passes: passes.map((pass) => ({
      id: pass.id,
      networkId: pass.networkId,
      networkName: pass.network.name,
      membershipId: pass.membershipId,
      validFrom: isoDate(pass.validFrom),
      validUntil: isoDate(pass.validUntil),
      redemptions: pass.redemptions.map((redemption) => ({
        hostSpaceId: redemption.hostSpaceId,
        date: isoDate(redemption.date),
      })),
    })),
    patrolRequests: requests.map((request) => ({
      id: request.id,
      visitId: request.visitId,
      spaceId: request.visit.spaceId,
      visitedOn: isoDate(request.visit.visitedOn),
      kind: PATROL_REQUEST_KINDS.valueOf(request.kind),
      subject: request.subject,
    })),
    patrolVisits: visits.map((visit) => ({
      id: visit.id,
      spaceId: visit.spaceId,
      visitedOn: isoDate(visit.visitedOn),
      as: [
        ...(visit.visitorIds.includes(memberId) ? ['visitor'] : []),
        ...(visit.recordedBy === memberId ? ['recorder'] : []),
      ],
    })),
    note: '拠点サービスが保持する会員のデータ: 拠点の会員資格 (memberships)、パスとその利用 (passes)、巡回訪問で会員が依頼した相談 (patrolRequests)、支援機関のスタッフとして訪問・記録した巡回訪問 (patrolVisits)、入退室の記録 (checkIns) とスタッフとして許可した入室 (checkInOverrides)。拠点の予約 (bookings) を扱うようになれば、ここに含まれます (what the spaces service holds about the member: memberships, passes with the days used, the patrol-visit requests they made, the visits they made or recorded as a supporter’s staff, their check-ins and check-outs, and the check-ins they let through as staff; bookings would appear here)',
  };
}
