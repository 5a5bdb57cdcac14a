import { contributeToDataExport, requestGroupLoader } from '@hub/service-kit';
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

/** The assignments of each member: one query for every export of the request. */
function assignmentsLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'memberAssignmentsForExport', {
    fetch: (memberIds: readonly string[]) =>
      context.prisma.assignment.findMany({
        where: { memberId: { in: [...memberIds] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    groupOf: (assignment) => assignment.memberId ?? '',
  });
}

contributeToDataExport(builder, {
  field: 'matching',
  description:
    'マッチングサービスが保持するこの会員のデータ (ワーカー情報・同意の写し・仕事の割り当て) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile, its copy of the member’s consents, assignments; the member themself or a hub admin only)',
  resolve: async (memberId, context) => {
    const [worker, consents, assignments] = await Promise.all([
      workerLoader(context).load(memberId),
      consentsLoader(context).load(memberId),
      assignmentsLoader(context).load(memberId),
    ]);
    return exportMemberData(worker, consents, assignments);
  },
});
