import { countedList, defineConnection } from '@hub/service-kit';
import { memberFieldAuth } from '../authorization/access.js';
import { builder, type MembersContext } from '../builder.js';
import { AuditAction, type Prisma } from '../generated/prisma/client.js';
import { auditLogPage } from './audit-log-pages.js';
import { MemberRef } from './member.js';
import { OrganizationRef, organizationLoader } from './organization.js';

const AuditActionEnum = builder.enumType(AuditAction, {
  name: 'AuditAction',
  description: '記録された操作 (what an audit entry records)',
  values: {
    PARTNER_READ: {
      description: 'パートナーキーによる個人情報の参照 (personal data read by a partner key)',
    },
    ERASURE: { description: 'アカウントの消去 (account erasure)' },
    CONSENT_GRANTED: { description: '同意 (consent granted)' },
    CONSENT_WITHDRAWN: { description: '同意の撤回 (consent withdrawn)' },
    API_KEY_CREATED: { description: 'API キーの発行 (API key created)' },
    API_KEY_REVOKED: { description: 'API キーの失効 (API key revoked)' },
    PARTNERSHIP_GRANTED: {
      description: 'パートナーの指定 — fields に範囲 (partner status granted; fields: its ceiling)',
    },
    PARTNERSHIP_UPDATED: {
      description:
        'パートナーの範囲の変更 — fields に新しい範囲 (partner ceiling changed; fields: the new one)',
    },
    PARTNERSHIP_WITHDRAWN: {
      description: 'パートナーの指定の取り消し (partner status withdrawn; its keys were revoked)',
    },
  },
});

export const AuditLogEntryRef = builder.prismaObject('AuditLogEntry', {
  description:
    '個人情報へのアクセスと変更の記録 — 個人情報そのものは含まない (a record of access to or change of personal data; never the data itself)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    at: t.expose('at', { type: 'DateTime', description: '日時 (when)' }),
    action: t.expose('action', { type: AuditActionEnum, description: '操作 (action)' }),
    memberId: t.exposeID('memberId', {
      nullable: true,
      description: '対象のメンバー ID (the member concerned)',
    }),
    apiKeyId: t.exposeID('apiKeyId', {
      nullable: true,
      description: '参照したパートナーキー (the partner key that read)',
    }),
    organizationId: t.exposeID('organizationId', {
      nullable: true,
      description:
        '関わる組織 ID — 参照したキーの組織、同意の受け取り組織、パートナー (the organization concerned: the reading key’s, a consent’s recipient, a partner)',
    }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      description:
        '関わる組織 — 参照したキーの組織、同意の受け取り組織、パートナー (the organization concerned)',
      resolve: (entry, _args, context) =>
        entry.organizationId ? organizationLoader(context).load(entry.organizationId) : null,
    }),
    actorMemberId: t.exposeID('actorMemberId', {
      nullable: true,
      description: '操作したメンバー (the member who acted, e.g. the admin who erased)',
    }),
    fields: t.exposeStringList('fields', {
      description:
        '参照された項目名; 同意では利用目的、消去では理由、パートナーの指定では範囲 (fields read; for consents the purpose, for erasures the reason, for partner status its ceiling)',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: '要求 ID — ログとの照合用 (request id, to match the logs)',
    }),
    service: t.exposeString('service', {
      description:
        '参照・変更が行われたサービス — members、または参照されたデータを持つサービス (例: matching) (the service where the data was read or changed: members, or the service holding the data read, e.g. matching)',
    }),
  }),
});

/** One page of audit entries: a member's log, the admin's view of it, a partner's history. */
export const AuditLogEntryConnection = defineConnection(builder, AuditLogEntryRef, {
  name: 'AuditLogEntryConnection',
  description: '監査記録のページ、新しい順 (a page of audit entries, newest first)',
  edgeDescription: '監査記録とそのカーソル (an audit entry with its cursor)',
});

const NEWEST_FIRST: Prisma.AuditLogEntryOrderByWithRelationInput[] = [
  { at: 'desc' },
  { id: 'desc' },
];

builder.prismaObjectField(MemberRef, 'auditLog', (t) =>
  t.connection(
    {
      type: AuditLogEntryRef,
      nullable: true,
      description:
        '自分のデータへのアクセスと変更の記録、新しい順 — 本人とハブ管理者のみ (who read or changed your data, newest first; the member and hub admins only)',
      ...memberFieldAuth('auditLog'),
      resolve: (member, args, context) => auditLogPage(context, 'member', member.id, args),
    },
    AuditLogEntryConnection,
  ),
);

builder.queryFields((t) => ({
  auditLog: t.prismaConnection(
    {
      type: 'AuditLogEntry',
      cursor: 'id',
      description:
        'メンバーに関する監査記録、新しい順 — ハブ管理者 (audit entries about a member, newest first; hub admin)',
      args: {
        memberId: t.arg.id({ required: true, description: 'メンバー ID (member id)' }),
      },
      authScopes: { admin: true },
      ...countedList({
        where: ({ memberId }: { memberId: string }): Prisma.AuditLogEntryWhereInput => ({
          memberId,
        }),
        findMany: (query, context: MembersContext) =>
          context.prisma.auditLogEntry.findMany({ ...query, orderBy: NEWEST_FIRST }),
        count: (where, context: MembersContext) => context.prisma.auditLogEntry.count({ where }),
      }),
    },
    AuditLogEntryConnection,
  ),
}));
