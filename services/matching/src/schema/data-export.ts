import { contributeToDataExport, requestGroupLoader, requestLoader } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { exportMemberData } from '../domain/export-member-data.js';
import { workerLoader } from './worker.js';

/** The consents matching keeps of each member: one query for every export of the request. */
function consentsLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'memberConsentsForExport', {
    fetch: (memberIds: readonly string[]) =>
      context.prisma.memberConsent.findMany({
        where: { memberId: { in: [...memberIds] } },
        orderBy: [{ recipientOrganizationId: 'asc' }, { purpose: 'asc' }],
      }),
    groupOf: (consent) => consent.memberId,
  });
}

/**
 * The home spaces, referral row and assignments of each member: three queries for every export
 * of the request.
 */
function factsLoader(context: MatchingContext) {
  return requestLoader(context, 'memberFactsForExport', {
    fetch: async (memberIds: readonly string[]) => {
      const [homeSpaces, referrals, assignments] = await Promise.all([
        context.prisma.homeSpace.findMany({
          where: { memberId: { in: [...memberIds] } },
          orderBy: [{ startsOn: 'asc' }, { membershipId: 'asc' }],
        }),
        context.prisma.referral.findMany({ where: { memberId: { in: [...memberIds] } } }),
        context.prisma.assignment.findMany({
          where: { memberId: { in: [...memberIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      ]);
      return memberIds.map((memberId) => ({
        memberId,
        homeSpaces: homeSpaces.filter((home) => home.memberId === memberId),
        referral: referrals.find((referral) => referral.memberId === memberId) ?? null,
        assignments: assignments.filter((assignment) => assignment.memberId === memberId),
      }));
    },
    keyOf: (facts) => facts.memberId,
  });
}

contributeToDataExport(builder, {
  field: 'matching',
  description:
    'マッチングサービスが保持するこの会員のデータ (ワーカー情報・同意の写し・仕事の割り当て・所属拠点・紹介者) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile, its copy of the member’s consents, assignments, home spaces and who introduced them; the member themself or a hub admin only)',
  resolve: async (memberId, context) => {
    const [worker, consents, facts] = await Promise.all([
      workerLoader(context).load(memberId),
      consentsLoader(context).load(memberId),
      factsLoader(context).load(memberId),
    ]);
    return exportMemberData(worker, consents, facts ?? undefined);
  },
});
