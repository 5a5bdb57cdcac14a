import { isoDate } from '@hub/contracts';
import {
  ConflictError,
  defineMutation,
  InvalidInputError,
  isUuid,
  NotFoundError,
  requestGroupLoader,
} from '@hub/service-kit';
import { builder, type MembersContext } from '../builder.js';
import { confirmConsortiumMembership } from '../domain/confirm-consortium-membership.js';
import { CONFIRMED_MEMBERSHIP } from '../domain/consortium-membership.js';
import { declineConsortiumMembership } from '../domain/decline-consortium-membership.js';
import type { ConsortiumMembership } from '../generated/prisma/client.js';
import { OrganizationRef, organizationLoader } from './organization.js';

// A consortium naming another organisation as its member (docs/authorization.md, "Links that
// name another organisation"): pending until the member organisation's admin confirms, and
// until then shown only to the staff of either organisation and hub admins.

const ConsortiumMembershipRef = builder
  .objectRef<ConsortiumMembership>('ConsortiumMembership')
  .implement({
    description:
      'コンソーシアムへの加盟 — 構成団体の確認が済むまでは確認待ち (a membership of an organisation in a consortium; pending until the member organisation confirms)',
    fields: (t) => ({
      consortium: t.field({
        type: OrganizationRef,
        description: 'コンソーシアム (the consortium)',
        // Organisations of every membership in the request: one query.
        resolve: async (membership, _args, context) =>
          (await organizationLoader(context).load(membership.consortiumId))!,
      }),
      memberOrganization: t.field({
        type: OrganizationRef,
        description: '構成団体 (the member organisation)',
        resolve: async (membership, _args, context) =>
          (await organizationLoader(context).load(membership.memberId))!,
      }),
      joinedOn: t.field({
        type: 'Date',
        nullable: true,
        description: '加盟日 (joined on)',
        resolve: (membership) => (membership.joinedOn ? isoDate(membership.joinedOn) : null),
      }),
      confirmedAt: t.expose('confirmedAt', {
        type: 'DateTime',
        nullable: true,
        description:
          '構成団体が確認した日時 — 構成団体のスタッフかハブ管理者が登録したときは登録時。null は確認待ち (when the member organisation confirmed it: at creation when its staff or a hub admin made it; null = awaiting its admin)',
      }),
      isConfirmed: t.boolean({
        description:
          '確認済みか — 確認済みの加盟だけが consortia / memberOrganizations に公開される (whether it is confirmed; only confirmed memberships are listed in consortia / memberOrganizations)',
        resolve: (membership) => membership.confirmedAt !== null,
      }),
    }),
  });

/** Pending memberships where each organisation is the consortium or the member: one query. */
function pendingMembershipsLoader(context: MembersContext) {
  return requestGroupLoader(context, 'pendingConsortiumMembershipsByOrganization', {
    fetch: (organizationIds: readonly string[]) => {
      const ids = organizationIds.filter(isUuid);
      if (ids.length === 0) return Promise.resolve([]);
      return context.prisma.consortiumMembership.findMany({
        where: {
          NOT: CONFIRMED_MEMBERSHIP,
          OR: [{ consortiumId: { in: ids } }, { memberId: { in: ids } }],
        },
        orderBy: [{ createdAt: 'desc' }, { consortiumId: 'asc' }, { memberId: 'asc' }],
      });
    },
    groupOf: (membership) => [membership.consortiumId, membership.memberId],
  });
}

builder.prismaObjectField(OrganizationRef, 'pendingConsortiumMemberships', (t) =>
  t.field({
    type: [ConsortiumMembershipRef],
    nullable: true,
    description:
      '確認待ちの加盟 — この組織が構成団体として挙げられ管理者の確認を待つもの、またはこの組織 (コンソーシアム) が相手の確認を待つもの。新しい順。その組織のスタッフとハブ管理者のみ (consortium memberships awaiting confirmation that this organisation is a side of: named as a member and awaiting its admin, or its own consortium awaiting the member’s; newest first; staff of the organisation and hub admins only)',
    authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
    resolve: (organization, _args, context) =>
      pendingMembershipsLoader(context).load(organization.id),
  }),
);

const ConfirmConsortiumMembershipInput = builder.inputType('ConfirmConsortiumMembershipInput', {
  description: 'コンソーシアムへの加盟の確認 (confirming a consortium membership)',
  fields: (t) => ({
    consortiumId: t.id({ required: true, description: 'コンソーシアム ID (consortium id)' }),
    memberOrganizationId: t.id({
      required: true,
      description: '構成団体として挙げられた組織の ID (the organisation named as a member)',
    }),
  }),
});

const DeclineConsortiumMembershipInput = builder.inputType('DeclineConsortiumMembershipInput', {
  description: 'コンソーシアムへの加盟の辞退 (declining a consortium membership)',
  fields: (t) => ({
    consortiumId: t.id({ required: true, description: 'コンソーシアム ID (consortium id)' }),
    memberOrganizationId: t.id({
      required: true,
      description: '構成団体として挙げられた組織の ID (the organisation named as a member)',
    }),
  }),
});

defineMutation(builder, 'confirmConsortiumMembership', {
  description:
    'コンソーシアムへの加盟を確認する — 以後双方の組織に公開される。構成団体の管理者かハブ管理者のみ (confirm that your organisation belongs to a consortium that named it: from now on the membership is listed on both; the member organisation’s admin or a hub admin)',
  input: { type: ConfirmConsortiumMembershipInput, description: '確認する加盟 (the membership)' },
  success: {
    field: 'membership',
    type: ConsortiumMembershipRef,
    description: '確認した加盟 (the membership as confirmed)',
  },
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input) => ({ admin: true, orgAdmin: input.memberOrganizationId }),
  resolve: (input, context) => confirmConsortiumMembership(context.prisma, input),
});

defineMutation(builder, 'declineConsortiumMembership', {
  description:
    'コンソーシアムへの加盟を辞退する — 確認待ちの加盟は削除され、削除前の内容を返す。構成団体の管理者かハブ管理者のみ (decline to belong to a consortium that named your organisation: the pending membership is removed and returned as it was; the member organisation’s admin or a hub admin)',
  input: { type: DeclineConsortiumMembershipInput, description: '辞退する加盟 (the membership)' },
  success: {
    field: 'membership',
    type: ConsortiumMembershipRef,
    description: '辞退した加盟 — 削除前の内容 (the membership as it was before removal)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input) => ({ admin: true, orgAdmin: input.memberOrganizationId }),
  resolve: (input, context) => declineConsortiumMembership(context.prisma, input),
});
