import { requestGroupLoader } from '@hub/service-kit';
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
 * A member's data export is owned by the members service (key memberId); each service adds a
 * field with what it holds about that member.
 */
const DataExportRef = builder.externalRef(
  'DataExport',
  builder.selection<{ memberId: string }>('memberId'),
);

DataExportRef.implement({
  externalFields: (t) => ({ memberId: t.id() }),
  fields: (t) => ({
    // Nullable: when this subgraph is down (or refuses) the rest of the export still arrives.
    matching: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'マッチングサービスが保持するこの会員のデータ (ワーカー情報・同意の写し・仕事の割り当て) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile, its copy of the member’s consents, assignments; the member themself or a hub admin only)',
      authScopes: (dataExport) => ({ admin: true, self: dataExport.memberId }),
      resolve: async (dataExport, _args, context) => {
        const [worker, consents] = await Promise.all([
          workerLoader(context).load(dataExport.memberId),
          consentsLoader(context).load(dataExport.memberId),
        ]);
        return exportMemberData(worker, consents);
      },
    }),
  }),
});
