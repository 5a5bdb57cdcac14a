import { builder, type MembersContext } from '../builder.js';
import { memberNotFound } from '../domain/member-guard.js';
import { exportMemberData } from '../domain/privacy/export-member-data.js';
import { callerMemberId } from '../identity/caller.js';

type DataExport = { memberId: string; generatedAt: Date };

/**
 * One member's data across the hub (APPI 開示). An entity keyed by memberId: each service
 * contributes a sibling field (members here; spaces, events, matching, supportPrograms) with
 * the same rule — the member or a hub admin — so the gateway returns one document.
 */
export const DataExportRef = builder.objectRef<DataExport>('DataExport').implement({
  description:
    'メンバーに関してハブが保有するデータの開示 (everything the hub holds about one member)',
  fields: (t) => ({
    memberId: t.exposeID('memberId', { description: 'メンバー ID (member id)' }),
    generatedAt: t.expose('generatedAt', {
      type: 'DateTime',
      description: '作成日時 (generated at)',
    }),
    members: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'members サービスが保有するデータ — プロフィール、メール、スキル、リンク、所属、同意、招待、セッション、監査記録 (what the members service holds: profile, email, skills, links, affiliations, consents, invitations, sessions, audit log)',
      authScopes: (dataExport) => ({ self: dataExport.memberId, admin: true }),
      resolve: (dataExport, _args, context) =>
        exportMemberData(context.prisma, dataExport.memberId),
    }),
  }),
});

builder.asEntity(DataExportRef, {
  key: builder.selection<{ memberId: string }>('memberId'),
  resolveReference: (ref) => ({ memberId: ref.memberId, generatedAt: new Date() }),
});

async function dataExportOf(context: MembersContext, memberId: string): Promise<DataExport> {
  const member = await context.prisma.member.findUnique({
    where: { id: memberId },
    select: { id: true },
  });
  if (!member) throw memberNotFound();
  return { memberId, generatedAt: new Date() };
}

builder.queryFields((t) => ({
  exportMyData: t.field({
    type: DataExportRef,
    description: '自分のデータをすべて取得する (export everything the hub holds about you)',
    authScopes: { member: true },
    resolve: (_root, _args, context) => dataExportOf(context, callerMemberId(context)),
  }),
  exportMemberData: t.field({
    type: DataExportRef,
    description:
      'メンバーのデータをすべて取得する — ハブ管理者 (export a member’s data; hub admin)',
    args: { memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }) },
    authScopes: { admin: true },
    resolve: (_root, { memberId }, context) => dataExportOf(context, memberId),
  }),
}));
