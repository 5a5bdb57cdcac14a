import { AFFILIATION_ROLES, dateColumn, isoDate, todayInJapan } from '@hub/contracts';
import { isHubAdmin, isMember, STAFF_ROLES } from '@hub/identity';
import {
  ConflictError,
  defineConnection,
  defineMutation,
  graphqlEnumValues,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  resolveGroupedConnection,
} from '@hub/service-kit';
import { memberFieldAuth } from '../authorization/access.js';
import { builder, type MembersContext } from '../builder.js';
import { addAffiliation } from '../domain/add-affiliation.js';
import {
  type AffiliationConfirmation,
  confirmAffiliation,
  declineAffiliation,
  pendingOn,
} from '../domain/affiliation-confirmation.js';
import { endAffiliation } from '../domain/end-affiliation.js';
import { promoteMember } from '../domain/promote-member.js';
import type { AffiliationRole } from '../generated/prisma/client.js';
import { MemberRef } from './member.js';
import { OrganizationRef } from './organization.js';

export const AffiliationRoleEnum = builder.enumType('AffiliationRole', {
  description: '組織での役割 (role at an organization)',
  values: graphqlEnumValues(AFFILIATION_ROLES),
});

const AffiliationRef = builder.prismaObject('Affiliation', {
  description:
    'メンバー×組織×役割の期間 — 昇格は上書きせず新しい所属として記録 (a member’s role at an organization over a period)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    member: t.relation('member', { description: 'メンバー (member)' }),
    organization: t.relation('organization', { description: '組織 (organization)' }),
    role: t.expose('role', { type: AffiliationRoleEnum, description: '役割 (role)' }),
    startsOn: t.field({
      type: 'Date',
      description: '開始日 (from)',
      resolve: (a) => isoDate(a.startsOn),
    }),
    endsOn: t.field({
      type: 'Date',
      nullable: true,
      description: '終了日 (until; null = current)',
      resolve: (a) => (a.endsOn ? isoDate(a.endsOn) : null),
    }),
    confirmedAt: t.expose('confirmedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        '本人が確認した日時 — null は本人の確認待ち (または辞退)。昇格では元の所属の確認を引き継ぐ (when the member confirmed it; null = awaiting the member, or declined; a promotion carries over the confirmation of the affiliation it follows)',
    }),
    isConfirmed: t.boolean({
      description:
        '本人が確認済みか — 確認済みの所属だけが組織のスタッフによる個人情報の参照とスタッフ権限の根拠になる (whether the member confirmed it; only confirmed affiliations let the organisation’s staff read the member’s personal data, or give the member staff rights)',
      resolve: (a) => a.confirmedAt !== null,
    }),
  }),
});

const AffiliationConnection = defineConnection(builder, AffiliationRef, {
  name: 'AffiliationConnection',
  description: '所属のページ (a page of affiliations)',
  edgeDescription: '所属とそのカーソル (an affiliation with its cursor)',
});

// Who is registered where is personal data of those members: the organisation's staff and hub
// admins see the list; everyone else sees it through each member's own rules.
builder.prismaObjectField(OrganizationRef, 'affiliations', (t) =>
  t.connection(
    {
      type: AffiliationRef,
      nullable: true,
      description:
        '所属メンバーの履歴、新しい順 — その組織のスタッフとハブ管理者のみ (affiliations of members, newest first; staff of the organization and hub admins)',
      authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
      resolve: (organization, args, context) =>
        resolveGroupedConnection(context, 'affiliationsByOrganization', {
          parent: organization.id,
          args,
          fetch: (organizationIds) =>
            context.prisma.affiliation.findMany({
              where: { organizationId: { in: [...organizationIds] } },
              orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
            }),
          groupOf: (affiliation) => affiliation.organizationId,
        }),
    },
    AffiliationConnection,
  ),
);

// Only the member may see what awaits their answer (group `owner` in rules.ts).
builder.prismaObjectField(MemberRef, 'pendingAffiliations', (t) =>
  t.relation('affiliations', {
    nullable: true,
    description:
      '確認待ちの所属 — 組織が追加し本人がまだ確認・辞退していない現在の所属。本人とハブ管理者のみ (affiliations awaiting your confirmation: current ones an organisation added that you have not confirmed or declined yet; the member and hub admins only)',
    query: () => ({
      where: pendingOn(todayInJapan()),
      orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }],
    }),
    ...memberFieldAuth('pendingAffiliations'),
  }),
);

const AddAffiliationInput = builder.inputType('AddAffiliationInput', {
  description: '所属の登録内容 (a new affiliation)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    role: t.field({ type: AffiliationRoleEnum, required: true, description: '役割 (role)' }),
    startsOn: t.field({ type: 'Date', required: true, description: '開始日 (from)' }),
    endsOn: t.field({ type: 'Date', required: false, description: '終了日 (until)' }),
  }),
});

function affiliationLoader(context: MembersContext) {
  return requestLoader(context, 'affiliationById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.affiliation.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, memberId: true, organizationId: true, role: true },
      }),
    keyOf: (affiliation) => affiliation.id,
  });
}

/** Roles that give staff rights (reading the personal data of the organisation's people). */
const isStaffRole = (role: AffiliationRole) =>
  (STAFF_ROLES as readonly string[]).includes(role.toLowerCase());

// Managing who belongs to an organisation is for that organisation's admins and staff (and hub
// admins); the kit's orgAdmin/staffOf scopes read the caller's staff roles from the token.
// Granting or ending a staff role is for its admins only: otherwise any staff member could make
// themself (or anyone) an admin, or hand out access to the organisation's people.
const organizationManagers = (organizationId: string, role: AffiliationRole) =>
  isStaffRole(role)
    ? { admin: true, orgAdmin: organizationId }
    : { admin: true, orgAdmin: organizationId, staffOf: [organizationId] };

/**
 * An affiliation is confirmed as it is added only when the caller vouches for the member: the
 * member themself or a hub admin. An organisation's admins and staff adding someone else
 * leave it awaiting the member (confirmAffiliation / declineAffiliation).
 */
function confirmationOnAdd(context: MembersContext, memberId: string): AffiliationConfirmation {
  const { identity } = context;
  return {
    confirmed: isHubAdmin(identity) || (isMember(identity) && identity.memberId === memberId),
  };
}

/** Answering an affiliation is for the member it is about; unknown ids are refused alike. */
const affiliationMember = async (id: string, context: MembersContext) => {
  const affiliation = await affiliationLoader(context).load(id);
  return affiliation ? { self: affiliation.memberId } : false;
};

const AFFILIATION_SUCCESS = { field: 'affiliation', type: AffiliationRef } as const;

defineMutation(builder, 'addAffiliation', {
  description:
    '所属を追加する — ハブ管理者か本人が追加したものはすぐ確認済みになり、それ以外は本人の確認待ち (add an affiliation; history is never overwritten; added by a hub admin or the member themself it is confirmed at once, otherwise it awaits the member’s confirmation)',
  input: { type: AddAffiliationInput, description: '所属の内容 (the affiliation)' },
  success: { ...AFFILIATION_SUCCESS, description: '追加した所属 (the new affiliation)' },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input) => organizationManagers(input.organizationId, input.role),
  resolve: (input, context) =>
    addAffiliation(context, input, confirmationOnAdd(context, input.memberId)),
});

const EndAffiliationInput = builder.inputType('EndAffiliationInput', {
  description: '終了する所属と最終日 (the affiliation to end and its last day)',
  fields: (t) => ({
    id: t.id({ required: true, description: '所属 ID (affiliation id)' }),
    endsOn: t.field({ type: 'Date', required: true, description: '最終日 (last day)' }),
  }),
});

defineMutation(builder, 'endAffiliation', {
  description: '所属を終了する — 履歴として残る (end an affiliation; the row stays as history)',
  input: {
    type: EndAffiliationInput,
    description: '所属と最終日 (the affiliation and its last day)',
  },
  success: { ...AFFILIATION_SUCCESS, description: '終了した所属 (the affiliation as ended)' },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async ({ id }, context) => {
    const affiliation = await affiliationLoader(context).load(id);
    // Unknown ids: hub admins get NOT_FOUND from the operation, others the same refusal as
    // for an affiliation they may not end, so ids cannot be probed.
    if (!affiliation) return { admin: true };
    return {
      ...organizationManagers(affiliation.organizationId, affiliation.role),
      self: affiliation.memberId,
    };
  },
  resolve: (input, context) => endAffiliation(context, input),
});

const PromoteMemberInput = builder.inputType('PromoteMemberInput', {
  description: 'メンバーの新しい役割 (a member’s new role at an organization)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    role: t.field({
      type: AffiliationRoleEnum,
      required: true,
      description: '新しい役割 (new role)',
    }),
    startsOn: t.field({ type: 'Date', required: true, description: '新しい役割の開始日 (from)' }),
  }),
});

defineMutation(builder, 'promoteMember', {
  description:
    '組織内で新しい役割に就く — 現在の所属を前日で終了し新しい所属を開始 (give a member a new role at an organization: the current affiliation ends the day before, a new one starts)',
  input: {
    type: PromoteMemberInput,
    description: 'メンバーと新しい役割 (the member and the new role)',
  },
  success: { ...AFFILIATION_SUCCESS, description: '新しい所属 (the new affiliation)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: async ({ memberId, organizationId, role }, context) => {
    // Ending the member's current staff role there is as sensitive as granting one.
    const current = await context.prisma.affiliation.findMany({
      where: {
        memberId,
        organizationId,
        OR: [{ endsOn: null }, { endsOn: { gte: dateColumn(todayInJapan()) } }],
      },
      select: { role: true },
    });
    const touchesStaffRole = isStaffRole(role) || current.some((a) => isStaffRole(a.role));
    return organizationManagers(organizationId, touchesStaffRole ? 'ADMIN' : role);
  },
  resolve: (input, context) => promoteMember(context, input),
});

const ConfirmAffiliationInput = builder.inputType('ConfirmAffiliationInput', {
  description: '確認する所属 (the affiliation to confirm)',
  fields: (t) => ({ id: t.id({ required: true, description: '所属 ID (affiliation id)' }) }),
});

defineMutation(builder, 'confirmAffiliation', {
  description:
    '確認待ちの所属を本人が確認する — 以後その組織のスタッフは個人情報を参照できる (confirm an affiliation awaiting you: from now on it counts, e.g. the organisation’s staff may read your personal data)',
  input: { type: ConfirmAffiliationInput, description: '所属 (the affiliation)' },
  success: { ...AFFILIATION_SUCCESS, description: '確認した所属 (the affiliation as confirmed)' },
  errors: [NotFoundError, ConflictError],
  authScopes: ({ id }, context) => affiliationMember(id, context),
  resolve: (input, context) => confirmAffiliation(context, input),
});

const DeclineAffiliationInput = builder.inputType('DeclineAffiliationInput', {
  description: '辞退する所属 (the affiliation to decline)',
  fields: (t) => ({ id: t.id({ required: true, description: '所属 ID (affiliation id)' }) }),
});

defineMutation(builder, 'declineAffiliation', {
  description:
    '確認待ちの所属を本人が辞退する — 今日で終了し履歴として残る (decline an affiliation awaiting you: it ends today, unconfirmed, and stays as history)',
  input: { type: DeclineAffiliationInput, description: '所属 (the affiliation)' },
  success: { ...AFFILIATION_SUCCESS, description: '辞退した所属 (the affiliation as declined)' },
  errors: [NotFoundError, ConflictError],
  authScopes: ({ id }, context) => affiliationMember(id, context),
  resolve: (input, context) => declineAffiliation(context, input),
});
