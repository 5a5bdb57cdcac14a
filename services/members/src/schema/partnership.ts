import type { ConsentPurpose, PartnerScope } from '@hub/identity';
import {
  ConflictError,
  countedList,
  defineMutation,
  InvalidInputError,
  NotFoundError,
} from '@hub/service-kit';
import { builder, type MembersContext } from '../builder.js';
import { grantPartnership } from '../domain/partners/grant-partnership.js';
import type { PartnerActor } from '../domain/partners/partner-actor.js';
import { receivesPersonalDataFor } from '../domain/partners/partner-ceiling.js';
import { updatePartnership } from '../domain/partners/update-partnership.js';
import { withdrawPartnership } from '../domain/partners/withdraw-partnership.js';
import { PartnerBasis, type Prisma } from '../generated/prisma/client.js';
import { callerMemberId } from '../identity/caller.js';
import { ConsentPurposeEnum, PartnerScopeEnum } from './api-key.js';
import { AuditLogEntryConnection, AuditLogEntryRef } from './audit-log.js';
import { auditLogPage } from './audit-log-pages.js';
import { OrganizationConnection, OrganizationRef } from './organization.js';

// Partner status: which organisations may hold API keys and receive members' personal data
// (with each member's consent), within a ceiling of scopes and purposes a hub admin grants.

export const PartnerBasisEnum = builder.enumType(PartnerBasis, {
  name: 'PartnerBasis',
  description: 'パートナーに指定した根拠 (why an organisation was made a partner)',
  values: {
    MUNICIPALITY: { description: '自治体 (a municipality; the organisation’s kind must match)' },
    PUBLIC_BODY: {
      description: '公的機関 — 国の機関、政府系金融機関、自治体出資法人など (another public body)',
    },
    ON_REQUEST: {
      description: 'その他の組織 — 申請によりハブが審査 (another organisation, on its request)',
    },
  },
});

export const PartnershipRef = builder.prismaObject('Partnership', {
  description:
    'パートナーの指定と範囲 — ハブ管理者とその組織のスタッフのみ (an organisation’s partner status and ceiling; hub admins and the organisation’s staff)',
  // The ceiling says what the organisation's keys could do: the hub's and the organisation's
  // business, not the public's (which learns only isPartner and partnerPurposes).
  authScopes: (partnership) => ({ admin: true, staffOf: [partnership.organizationId] }),
  fields: (t) => ({
    organization: t.relation('organization', { description: '組織 (the organization)' }),
    basis: t.expose('basis', { type: PartnerBasisEnum, description: '根拠 (basis)' }),
    scopes: t.field({
      type: [PartnerScopeEnum],
      description: 'キーに許される権限の上限 (the scopes its keys may carry at most)',
      resolve: (partnership) => partnership.scopes as PartnerScope[],
    }),
    purposes: t.field({
      type: [ConsentPurposeEnum],
      description:
        'キーが名乗れる利用目的 — メンバーはこの目的でのみこの組織に同意できる (purposes its keys may claim; members may consent to it for these only)',
      resolve: (partnership) => partnership.purposes as ConsentPurpose[],
    }),
    grantedAt: t.expose('grantedAt', {
      type: 'DateTime',
      description: '指定日時 (granted at; the latest grant)',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: '最終変更日時 (last changed at)',
    }),
    withdrawnAt: t.expose('withdrawnAt', {
      type: 'DateTime',
      nullable: true,
      description: '取り消し日時 — null は有効 (withdrawn at; null while in force)',
    }),
    isActive: t.boolean({
      description: '有効か — 取り消されていない (in force, not withdrawn)',
      resolve: (partnership) => partnership.withdrawnAt === null,
    }),
    history: t.connection(
      {
        type: AuditLogEntryRef,
        nullable: true,
        description:
          '指定・変更・取り消しとキーの発行・失効の記録、新しい順 — ハブ管理者のみ (grants, changes, withdrawals, keys created and revoked, newest first; hub admins)',
        authScopes: { admin: true },
        resolve: (partnership, args, context) =>
          auditLogPage(context, 'partnerHistory', partnership.organizationId, args),
      },
      AuditLogEntryConnection,
    ),
  }),
});

builder.prismaObjectFields(OrganizationRef, (t) => ({
  // Public on purpose: which organisations may receive members' data, and for what, is what a
  // member must know before consenting to one (APPI art. 27), and a matter of the hub's public
  // accountability; it is about organisations, not people. The ceiling's scopes and the keys
  // stay with the hub's admins and the organisation's staff.
  isPartner: t.boolean({
    description:
      'パートナーか — 誰でも参照可 (whether the organization is a partner now; public, so members know to whom they may consent)',
    select: { partnership: { select: { withdrawnAt: true } } },
    resolve: (organization) => organization.partnership?.withdrawnAt === null,
  }),
  partnerPurposes: t.field({
    type: [ConsentPurposeEnum],
    description:
      'メンバーがこの組織に同意できる利用目的 — 誰でも参照可、パートナーでなければ空 (purposes members may consent to this organization receiving their data for; public, empty unless it is a partner)',
    select: { partnership: { select: { withdrawnAt: true, scopes: true, purposes: true } } },
    resolve: (organization) =>
      (organization.partnership?.purposes ?? []).filter((purpose) =>
        receivesPersonalDataFor(organization.partnership, purpose as ConsentPurpose),
      ) as ConsentPurpose[],
  }),
  partnership: t.relation('partnership', {
    nullable: true,
    description:
      'パートナーの指定と範囲 — ハブ管理者とその組織のスタッフのみ; 指定されたことがなければ null (partner status and ceiling; hub admins and the organization’s staff; null if never granted)',
    authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
  }),
}));

const PartnerCeilingFields = {
  scopes: 'キーに許す権限の上限 — 1つ以上 (scopes its keys may carry; at least one)',
  purposes:
    '利用目的 — members:personal:read では1つ以上、それ以外では空 (purposes; at least one with members:personal:read, none without)',
} as const;

const GrantPartnershipInput = builder.inputType('GrantPartnershipInput', {
  description: 'パートナーの指定 (partner status to grant)',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    basis: t.field({ type: PartnerBasisEnum, required: true, description: '根拠 (basis)' }),
    scopes: t.field({
      type: [PartnerScopeEnum],
      required: true,
      description: PartnerCeilingFields.scopes,
    }),
    purposes: t.field({
      type: [ConsentPurposeEnum],
      required: true,
      description: PartnerCeilingFields.purposes,
    }),
  }),
});

const UpdatePartnershipInput = builder.inputType('UpdatePartnershipInput', {
  description:
    'パートナーの範囲の変更 — 上限を超えたキーと同意は以後使えない (a new ceiling; keys and consents beyond it stop working)',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    basis: t.field({
      type: PartnerBasisEnum,
      required: false,
      description: '根拠 — 省略時はそのまま (basis; unchanged if omitted)',
    }),
    scopes: t.field({
      type: [PartnerScopeEnum],
      required: true,
      description: PartnerCeilingFields.scopes,
    }),
    purposes: t.field({
      type: [ConsentPurposeEnum],
      required: true,
      description: PartnerCeilingFields.purposes,
    }),
  }),
});

const actorOf = (context: MembersContext): PartnerActor => ({
  memberId: callerMemberId(context),
  requestId: context.requestId,
});

builder.queryFields((t) => ({
  partners: t.prismaConnection(
    {
      type: 'Organization',
      cursor: 'id',
      description:
        'パートナー組織の一覧、名前順 — 誰でも; 取り消し済みを含めるのはハブ管理者のみ (partner organizations by name; anyone — with includeWithdrawn, hub admins only)',
      args: {
        includeWithdrawn: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: '取り消し済みも含める — ハブ管理者のみ (also withdrawn ones; hub admins)',
        }),
      },
      authScopes: (_root, { includeWithdrawn }) =>
        includeWithdrawn ? { admin: true } : { public: true },
      ...countedList({
        where: ({ includeWithdrawn }: { includeWithdrawn?: boolean | null }) =>
          ({
            partnership: includeWithdrawn ? { isNot: null } : { is: { withdrawnAt: null } },
          }) satisfies Prisma.OrganizationWhereInput,
        findMany: (query, context: MembersContext) =>
          context.prisma.organization.findMany({
            ...query,
            orderBy: [{ name: 'asc' }, { id: 'asc' }],
          }),
        count: (where, context: MembersContext) => context.prisma.organization.count({ where }),
      }),
    },
    OrganizationConnection,
  ),
}));

// NOT_A_PARTNER and OUTSIDE_PARTNER_CEILING are not domain families (ERROR_CODES): errors[].

defineMutation(builder, 'grantPartnership', {
  description:
    '組織をパートナーに指定する — ハブ管理者のみ、監査記録に残る (make an organization a partner, with its ceiling; hub admins, audited)',
  input: { type: GrantPartnershipInput, description: '指定 (grant)' },
  success: { field: 'partnership', type: PartnershipRef, description: '指定 (the partnership)' },
  // The ceiling's rules and basis MUNICIPALITY; an unknown organisation; already a partner.
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: () => ({ admin: true }),
  resolve: (input, context) => grantPartnership(context.prisma, input, actorOf(context)),
});

defineMutation(builder, 'updatePartnership', {
  description:
    'パートナーの範囲を変更する — ハブ管理者のみ、監査記録に残る; パートナーでなければ NOT_A_PARTNER (errors[]) (change a partner’s ceiling; hub admins, audited; NOT_A_PARTNER in errors[] for an organisation that is not one)',
  input: { type: UpdatePartnershipInput, description: '新しい範囲 (the new ceiling)' },
  success: {
    field: 'partnership',
    type: PartnershipRef,
    description: '変更後の指定 (the partnership)',
  },
  errors: [InvalidInputError],
  authScopes: () => ({ admin: true }),
  resolve: (input, context) => updatePartnership(context.prisma, input, actorOf(context)),
});

const WithdrawPartnershipInput = builder.inputType('WithdrawPartnershipInput', {
  description: '指定を取り消す組織 (the partner whose status to withdraw)',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
  }),
});

defineMutation(builder, 'withdrawPartnership', {
  description:
    'パートナーの指定を取り消し、その組織のキーをすべて失効させる — ハブ管理者のみ、監査記録に残る; 指定がなければ NOT_A_PARTNER (errors[]) (withdraw partner status and revoke all the organization’s keys; hub admins, audited; NOT_A_PARTNER in errors[] if it was never granted)',
  input: { type: WithdrawPartnershipInput, description: '取り消す組織 (the organization)' },
  success: {
    field: 'partnership',
    type: PartnershipRef,
    description: '取り消した指定 (the withdrawn partnership)',
  },
  errors: [],
  authScopes: () => ({ admin: true }),
  resolve: ({ organizationId }, context) =>
    withdrawPartnership(context.prisma, organizationId, actorOf(context)),
});
