import {
  ConflictError,
  callerSpeaksFor,
  callerSpokenFor,
  defineConnection,
  defineMutation,
  InvalidInputError,
  isUuid,
  NotFoundError,
  requestGroupLoader,
  resolveGroupedConnection,
} from '@hub/service-kit';
import { builder, type InputFields, type SpacesContext } from '../builder.js';
import {
  confirmPatrolVisitSummary,
  declinePatrolVisitSummary,
} from '../domain/answer-patrol-visit-summary.js';
import { PATROL_LIMITS, recordPatrolVisit } from '../domain/record-patrol-visit.js';
import type { PatrolVisit, Prisma } from '../generated/prisma/client.js';
import { MemberRef } from './member.js';
import { OrganizationRef } from './organization.js';
import { PatrolNeedEnum } from './patrol-need.js';
import { PatrolRequestRef } from './patrol-request.js';
import { PatrolRequestKindEnum } from './patrol-request-kind.js';
import { SpaceRef, spaceLoader } from './space.js';

/**
 * Who may read a visit whole: hub admins, staff of the supporter that visited and staff of the
 * space's operator as it is now. Everyone else sees only a visit with a public summary, and of
 * it only the date, the space, the supporter and the summary.
 */
async function visitPartyScopes(visit: PatrolVisit, context: SpacesContext) {
  const operatorId = (await spaceLoader(context).load(visit.spaceId))?.operatorId ?? null;
  return {
    admin: true,
    staffOf: operatorId ? [visit.supporterId, operatorId] : [visit.supporterId],
  };
}
const partyOnly = {
  authScopes: (visit: PatrolVisit, _args: unknown, context: SpacesContext) =>
    visitPartyScopes(visit, context),
};

export const PatrolVisitRef = builder.prismaObject('PatrolVisit', {
  description:
    '支援機関による拠点の巡回訪問の記録 — 支援機関と拠点運営者のスタッフ、ハブ管理者が読める。公開要約は誰でも (a supporter organisation’s patrol visit to a space; read by the supporter’s and the operator’s staff and hub admins, the public summary by anyone)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    space: t.field({
      type: SpaceRef,
      description: '訪問先の拠点 (the space visited)',
      resolve: async (visit, _args, context) => (await spaceLoader(context).load(visit.spaceId))!,
    }),
    supporter: t.field({
      type: OrganizationRef,
      description: '訪問した支援機関 (the supporter organisation that visited)',
      resolve: (visit) => ({ id: visit.supporterId }),
    }),
    visitedOn: t.field({
      type: 'Date',
      description: '訪問日 (日本時間) (date of the visit, in Japan)',
      resolve: (visit) => visit.visitedOn.toISOString().slice(0, 10),
    }),
    publicSummary: t.exposeString('publicSummary', {
      nullable: true,
      description:
        '公開要約 — 有効になれば誰でも読める。拠点運営組織の確認待ちの間は支援機関・運営組織のスタッフのみ (public summary: anyone reads it once in effect; while it awaits the space operator’s confirmation only staff of the supporter and of the operator)',
      authScopes: (visit, _args, context) =>
        visit.summaryConfirmedAt !== null ? { public: true } : visitPartyScopes(visit, context),
    }),
    isSummaryPublic: t.boolean({
      description:
        '公開要約が有効か — false は要約なし、または拠点運営組織の確認待ち (whether a public summary is in effect; false when there is none or it awaits the space operator’s confirmation)',
      resolve: (visit) => visit.publicSummary !== null && visit.summaryConfirmedAt !== null,
    }),
    visitors: t.field({
      type: [MemberRef],
      nullable: true,
      description: '訪問した支援機関のスタッフ (the supporter’s staff who visited)',
      ...partyOnly,
      resolve: (visit) => visit.visitorIds.map((id) => ({ id })),
    }),
    notes: t.exposeString('notes', {
      nullable: true,
      description: '訪問メモ (notes)',
      ...partyOnly,
    }),
    needs: t.expose('needs', {
      type: [PatrolNeedEnum],
      nullable: true,
      description: '把握したニーズ (needs observed)',
      ...partyOnly,
    }),
    requests: t.field({
      type: [PatrolRequestRef],
      nullable: true,
      description: '受けた相談・専門家派遣の依頼 — 記録順 (requests raised, in the order recorded)',
      ...partyOnly,
      // One query for the requests of every visit in the request (a relation would cost two).
      resolve: (visit, _args, context) =>
        requestGroupLoader(context, 'patrolRequestsByVisit', {
          fetch: (visitIds: readonly string[]) =>
            context.prisma.patrolRequest.findMany({
              where: { visitId: { in: [...visitIds] } },
              orderBy: [{ visitId: 'asc' }, { position: 'asc' }],
            }),
          groupOf: (request) => request.visitId,
        }).load(visit.id),
    }),
    recordedAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: '記録日時 (recorded at)',
      ...partyOnly,
    }),
  }),
});

/** One connection type for every list of patrol visits (a space's, a supporter's). */
export const PatrolVisitConnection = defineConnection(builder, PatrolVisitRef, {
  name: 'PatrolVisitConnection',
  description: '巡回訪問のページ (a page of patrol visits)',
  edgeDescription: '巡回訪問とそのカーソル (a patrol visit with its cursor)',
});

/** Newest visit first; `id` last makes the order total, as cursors need. */
const PATROL_VISIT_ORDER = [
  { visitedOn: 'desc' },
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.PatrolVisitOrderByWithRelationInput[];

/**
 * The visits the caller may list: all for hub admins; otherwise those with a public summary and
 * those of a supporter or a space operator the caller is staff of. In the query, so a page and
 * its `totalCount` agree.
 */
function readableVisits(context: SpacesContext): Prisma.PatrolVisitWhereInput {
  const spokenFor = callerSpokenFor(context.identity);
  if (spokenFor === 'all') return {};
  const staffOf = spokenFor.filter(isUuid);
  return {
    OR: [
      // Only a summary in effect makes a visit public (a pending one names the operator).
      { publicSummary: { not: null }, summaryConfirmedAt: { not: null } },
      { supporterId: { in: staffOf } },
      { space: { operatorId: { in: staffOf } } },
    ],
  };
}

builder.prismaObjectField(SpaceRef, 'patrolVisits', (t) =>
  t.connection(
    {
      type: PatrolVisitRef,
      description:
        'この拠点への巡回訪問 — 新しい順。公開要約のあるもの、または支援機関・運営者のスタッフに (patrol visits to this space, newest first: those with a public summary, and all of them for the supporter’s and the operator’s staff)',
      resolve: (space, args, context) =>
        resolveGroupedConnection(context, 'patrolVisitsBySpace', {
          parent: space.id,
          args,
          fetch: (spaceIds) =>
            context.prisma.patrolVisit.findMany({
              where: { spaceId: { in: [...spaceIds] }, ...readableVisits(context) },
              orderBy: PATROL_VISIT_ORDER,
            }),
          groupOf: (visit) => visit.spaceId,
        }),
    },
    PatrolVisitConnection,
  ),
);

builder.objectField(OrganizationRef, 'patrolVisits', (t) =>
  t.connection(
    {
      type: PatrolVisitRef,
      nullable: true,
      description:
        'この支援機関が行った巡回訪問 — 新しい順。公開要約のあるもの、または支援機関・運営者のスタッフに (patrol visits this supporter made, newest first: those with a public summary, and all of them for the supporter’s and the operator’s staff)',
      resolve: (organization, args, context) =>
        resolveGroupedConnection(context, 'patrolVisitsBySupporter', {
          parent: organization.id,
          args,
          fetch: (supporterIds) =>
            context.prisma.patrolVisit.findMany({
              where: { supporterId: { in: [...supporterIds] }, ...readableVisits(context) },
              orderBy: PATROL_VISIT_ORDER,
            }),
          groupOf: (visit) => visit.supporterId,
        }),
    },
    PatrolVisitConnection,
  ),
);

const PatrolRequestInput = builder.inputType('PatrolRequestInput', {
  description: '巡回訪問で受けた依頼 (a request raised during the visit)',
  fields: (t) => ({
    kind: t.field({ type: PatrolRequestKindEnum, required: true, description: '種類 (kind)' }),
    subject: t.string({
      required: true,
      maxLength: PATROL_LIMITS.subject,
      description: '相談内容 — 空は不可 (what it is about; not empty)',
    }),
    requesterMemberId: t.id({
      required: false,
      description:
        '依頼した会員の ID — 省略は名前を伺っていないコワーカー (member id of who asked; omit for an unnamed coworker)',
    }),
  }),
});

const RecordPatrolVisitInput = builder.inputType('RecordPatrolVisitInput', {
  description: '巡回訪問の記録内容 (a patrol visit to record)',
  fields: (t) => ({
    spaceId: t.id({ required: true, description: '訪問先の拠点 ID (space id)' }),
    supporterId: t.id({
      required: true,
      description: '訪問した支援機関の組織 ID (Organization id of the supporter)',
    }),
    visitedOn: t.field({
      type: 'Date',
      required: true,
      description: '訪問日 (日本時間、今日まで) (date of the visit in Japan, today at the latest)',
    }),
    visitorIds: t.idList({
      required: true,
      description:
        '訪問したスタッフの会員 ID — 1 人以上 (member ids of the staff who visited; at least one)',
    }),
    notes: t.string({
      required: false,
      maxLength: PATROL_LIMITS.notes,
      description: '訪問メモ (notes)',
    }),
    needs: t.field({
      type: [PatrolNeedEnum],
      required: false,
      description: '把握したニーズ (needs observed)',
    }),
    requests: t.field({
      type: [PatrolRequestInput],
      required: false,
      description: '受けた依頼 (requests raised)',
    }),
    publicSummary: t.string({
      required: false,
      maxLength: PATROL_LIMITS.publicSummary,
      description:
        '公開要約 — 指定すると誰でも読める (public summary; anyone may read it once given)',
    }),
  }),
});

defineMutation(builder, 'recordPatrolVisit', {
  description:
    '巡回訪問を記録する。ハブ管理者、または訪問した支援機関 (supporterId) のスタッフのみ (record a patrol visit. Hub admins, or staff of the supporter organisation that visited)',
  input: { type: RecordPatrolVisitInput, description: '記録内容 (the visit)' },
  success: {
    field: 'patrolVisit',
    type: PatrolVisitRef,
    description: '記録した巡回訪問 (the visit recorded)',
  },
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input) => ({ admin: true, staffOf: [input.supporterId] }),
  resolve: (input, context) =>
    recordPatrolVisit(context, input, {
      recordedBy: context.identity?.kind === 'member' ? context.identity.memberId : null,
      speaksFor: callerSpeaksFor(context.identity),
    }),
});

builder.objectField(OrganizationRef, 'pendingPatrolVisitSummaries', (t) =>
  t.connection(
    {
      type: PatrolVisitRef,
      nullable: true,
      description:
        '拠点運営組織の確認待ちの公開要約がある巡回訪問 — この組織が訪問した側か運営する側のもの。ハブ管理者、またはこの組織のスタッフのみ (patrol visits whose public summary awaits the space operator’s confirmation, where this organisation visited or operates the space; hub admins or staff of this organisation only)',
      authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
      resolve: (organization, args, context) =>
        // One query for every organisation of the request; a visit belongs to both its
        // supporter and its space's operator, so it is listed under each.
        resolveGroupedConnection(context, 'pendingPatrolVisitSummaries', {
          parent: organization.id,
          args,
          fetch: (organizationIds) =>
            context.prisma.patrolVisit.findMany({
              where: {
                publicSummary: { not: null },
                summaryConfirmedAt: null,
                OR: [
                  { supporterId: { in: [...organizationIds] } },
                  { space: { operatorId: { in: [...organizationIds] } } },
                ],
              },
              include: { space: { select: { operatorId: true } } },
              orderBy: PATROL_VISIT_ORDER,
            }),
          groupOf: (visit) =>
            visit.space.operatorId
              ? [visit.supporterId, visit.space.operatorId]
              : [visit.supporterId],
        }),
    },
    PatrolVisitConnection,
  ),
);

const AnswerPatrolVisitSummaryFields = (t: InputFields) => ({
  visitId: t.id({ required: true, description: '巡回訪問 ID (patrol visit id)' }),
});

const ConfirmPatrolVisitSummaryInput = builder.inputType('ConfirmPatrolVisitSummaryInput', {
  description: '確認する公開要約の巡回訪問 (the visit whose public summary to confirm)',
  fields: AnswerPatrolVisitSummaryFields,
});
const DeclinePatrolVisitSummaryInput = builder.inputType('DeclinePatrolVisitSummaryInput', {
  description: '辞退する公開要約の巡回訪問 (the visit whose public summary to decline)',
  fields: AnswerPatrolVisitSummaryFields,
});

/**
 * Who answers for a summary: the admin of the space's operator as stored now, or a hub admin.
 * An unknown visit or a space without an operator is a hub admin's only (others FORBIDDEN), so
 * pending visits cannot be probed.
 */
async function answerScopes(context: SpacesContext, visitId: string) {
  const visit = await context.prisma.patrolVisit.findUnique({
    where: { id: visitId },
    select: { space: { select: { operatorId: true } } },
  });
  const operatorId = visit?.space.operatorId ?? null;
  return operatorId ? { admin: true, orgAdmin: operatorId } : { admin: true };
}

defineMutation(builder, 'confirmPatrolVisitSummary', {
  description:
    '巡回訪問の公開要約を確認し、誰でも読めるようにする。拠点の運営組織の管理者、またはハブ管理者のみ。確認済みなら何も変わらない (confirm a patrol visit’s public summary so anyone may read it. The admin of the space’s operator, or a hub admin; confirming one in effect changes nothing)',
  input: { type: ConfirmPatrolVisitSummaryInput, description: '巡回訪問 (the visit)' },
  success: { field: 'patrolVisit', type: PatrolVisitRef, description: '巡回訪問 (the visit)' },
  errors: [NotFoundError],
  authScopes: (input, context) => answerScopes(context, input.visitId),
  resolve: (input, context) => confirmPatrolVisitSummary(context, input.visitId),
});

defineMutation(builder, 'declinePatrolVisitSummary', {
  description:
    '確認待ちの巡回訪問の公開要約を辞退して取り除く。訪問の記録は残る。拠点の運営組織の管理者、またはハブ管理者のみ (decline a pending public summary of a patrol visit: it is removed, the visit stays. The admin of the space’s operator, or a hub admin)',
  input: { type: DeclinePatrolVisitSummaryInput, description: '巡回訪問 (the visit)' },
  success: { field: 'patrolVisit', type: PatrolVisitRef, description: '巡回訪問 (the visit)' },
  errors: [NotFoundError, ConflictError],
  authScopes: (input, context) => answerScopes(context, input.visitId),
  resolve: (input, context) => declinePatrolVisitSummary(context, input.visitId),
});
