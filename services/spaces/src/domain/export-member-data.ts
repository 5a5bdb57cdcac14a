import { isoDate, SPACE_MEMBERSHIP_PLANS } from '@hub/contracts';
import type { SpacesContext } from '../builder.js';

/**
 * What the spaces service holds about one member, for the member's data export (APPI
 * disclosure): their memberships (home spaces) and passes with the days they used them. The
 * erasure consumer (events/member-erasure.ts) deletes the same rows.
 */
export async function exportMemberData(memberId: string, context: SpacesContext) {
  const [memberships, passes] = await Promise.all([
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
  ]);
  return {
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
  };
}
