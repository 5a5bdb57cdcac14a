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

/** The member's help requests and the introductions naming them: two queries per request. */
function peopleLoader(context: MatchingContext) {
  return requestLoader(context, 'peopleDataForExport', {
    fetch: async (memberIds: readonly string[]) => {
      const ids = [...memberIds];
      const [helpRequests, introductions] = await Promise.all([
        context.prisma.helpRequest.findMany({
          where: { askerId: { in: ids } },
          include: { skills: { orderBy: { code: 'asc' } } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        context.prisma.introduction.findMany({
          where: {
            OR: [
              { memberAId: { in: ids } },
              { memberBId: { in: ids } },
              { introducedById: { in: ids } },
            ],
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      ]);
      return ids.map((memberId) => ({
        memberId,
        helpRequests: helpRequests.filter((request) => request.askerId === memberId),
        introductions: introductions.filter((introduction) =>
          [introduction.memberAId, introduction.memberBId, introduction.introducedById].includes(
            memberId,
          ),
        ),
      }));
    },
    keyOf: (people) => people.memberId,
  });
}

contributeToDataExport(builder, {
  field: 'matching',
  description:
    'マッチングサービスが保持するこの会員のデータ (ワーカー情報・同意の写し・仕事の割り当て・所属拠点・紹介者・相談・紹介) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile, its copy of the member’s consents, assignments, home spaces and who introduced them, help requests, introductions; the member themself or a hub admin only)',
  resolve: async (memberId, context) => {
    const [worker, consents, facts, people] = await Promise.all([
      workerLoader(context).load(memberId),
      consentsLoader(context).load(memberId),
      factsLoader(context).load(memberId),
      peopleLoader(context).load(memberId),
    ]);
    return exportMemberData(worker, consents, facts ?? undefined, people ?? undefined);
  },
});
