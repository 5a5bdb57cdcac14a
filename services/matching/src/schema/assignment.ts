import {
  ConflictError,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  resolveGroupedConnection,
  unauthorizedError,
} from '@hub/service-kit';
import { assignmentFieldAuth } from '../authorization/assignment-access.js';
import { builder, type MatchingContext } from '../builder.js';
import {
  acceptAssignment,
  completeAssignment,
  declineAssignment,
  startAssignment,
} from '../domain/assignments/answer-assignment.js';
import { offerAssignment } from '../domain/assignments/offer-assignment.js';
import { mayReadWorkOrder } from '../domain/work-order-links.js';
import { actorOf, callerDistributes } from '../domain/work-orders/actor.js';
import { type Assignment, AssignmentStatus } from '../generated/prisma/client.js';
import { AssignmentRoleEnum, WorkOrderRef, workOrderLoader } from './work-order.js';

// Assignments: order × member × role (docs/matching.md, "Assignments"). Personal data of the
// member: each field's group is in src/authorization/rules.ts (ASSIGNMENT_FIELDS); the lists
// hold only what the caller may see (ASSIGNMENT_QUERY_RULES).

export const AssignmentStatusEnum = builder.enumType(AssignmentStatus, {
  name: 'AssignmentStatus',
  description: '割り当ての状態 (status of an assignment)',
  values: {
    OFFERED: { description: '打診中 (offered, awaiting the member’s answer)' },
    ACCEPTED: { description: '承諾済み (accepted)' },
    DECLINED: { description: '辞退 (declined)' },
    IN_PROGRESS: { description: '作業中 (in progress)' },
    DONE: { description: '完了 (done)' },
    WITHDRAWN: {
      description:
        '取り下げ — 未完了のまま発注が取り消された (withdrawn: the order was cancelled while the assignment was open)',
    },
  },
});

export const AssignmentRef = builder.prismaObject('Assignment', {
  description:
    '発注の一部を会員に割り当てたもの (order × 会員 × 役割) — 本人、受託組織のスタッフ、発注のリーダー、ハブ管理者のみ内容を読める。発注元や再委託元は数のみ (a share of an order offered to a member in a role; its facts are for the member, the receiving organisation’s staff, the order’s leader and hub admins; clients and delegating centres see counts only)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    memberId: t.exposeID('memberId', {
      nullable: true,
      description: '会員 ID — 削除された会員なら null (member id; null once the member was erased)',
      ...assignmentFieldAuth('memberId'),
    }),
    workOrder: t.field({
      type: WorkOrderRef,
      nullable: true,
      description: '発注 — 読めない発注なら null (the order; null when you may not read it)',
      ...assignmentFieldAuth('workOrder'),
      resolve: async (assignment, _args, context) => {
        const order = await workOrderLoader(context).load(assignment.workOrderId);
        return order && mayReadWorkOrder(order, context) ? order : null;
      },
    }),
    role: t.expose('role', {
      type: AssignmentRoleEnum,
      nullable: true,
      description: '役割 (role)',
      ...assignmentFieldAuth('role'),
    }),
    status: t.expose('status', {
      type: AssignmentStatusEnum,
      nullable: true,
      description: '状態 (status)',
      ...assignmentFieldAuth('status'),
    }),
    allocatedVolume: t.exposeInt('allocatedVolume', {
      nullable: true,
      description: '割り当て量 — 発注の volumeUnit (allocated volume, in the order’s volumeUnit)',
      ...assignmentFieldAuth('allocatedVolume'),
    }),
    deliveredVolume: t.exposeInt('deliveredVolume', {
      nullable: true,
      description: '納品量 — 完了まで null (delivered volume; null until done)',
      ...assignmentFieldAuth('deliveredVolume'),
    }),
    rating: t.exposeInt('rating', {
      nullable: true,
      description: '評価 1〜5 — なければ null (rating 1..5; null if none)',
      ...assignmentFieldAuth('rating'),
    }),
    offeredAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: '打診日時 (offered at)',
      ...assignmentFieldAuth('offeredAt'),
    }),
    answeredAt: t.expose('answeredAt', {
      type: 'DateTime',
      nullable: true,
      description: '承諾・辞退した日時 (answered at)',
      ...assignmentFieldAuth('answeredAt'),
    }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: '作業開始日時 (started at)',
      ...assignmentFieldAuth('startedAt'),
    }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: '完了日時 (completed at)',
      ...assignmentFieldAuth('completedAt'),
    }),
  }),
});

builder.queryField('assignment', (t) =>
  t.prismaField({
    type: 'Assignment',
    nullable: true,
    description:
      'ID で割り当てを取得 — 項目ごとに本人・受託組織のスタッフ・リーダー・ハブ管理者のみ (an assignment by id; each of its facts only for the member, the receiving organisation’s staff, the order’s leader and hub admins)',
    args: { id: t.arg.id({ required: true, description: '割り当て ID (UUID)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.assignment.findUnique({ ...query, where: { id } }),
  }),
);

/** The connection type of every list of assignments. */
export const AssignmentConnection = defineConnection(builder, AssignmentRef, {
  name: 'AssignmentConnection',
  description: '割り当てのページ (a page of assignments)',
  edgeDescription: '割り当てとそのカーソル (an assignment with its cursor)',
});

/** Newest first; id breaks ties. */
export const ASSIGNMENT_ORDER = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

function orderAssignments(
  context: MatchingContext,
  orderIds: readonly string[],
  memberId?: string,
) {
  return context.prisma.assignment.findMany({
    where: { workOrderId: { in: [...orderIds] }, ...(memberId ? { memberId } : {}) },
    orderBy: ASSIGNMENT_ORDER,
  });
}

builder.prismaObjectFields(WorkOrderRef, (t) => ({
  assignments: t.connection(
    {
      type: AssignmentRef,
      nullable: true,
      description:
        '割り当て、新しい順 — 受託組織のスタッフ・リーダー・ハブ管理者はすべて、会員は自分の分のみ (assignments, newest first: all for the receiving organisation’s staff, the leader and hub admins; a member’s own for anyone else signed in)',
      resolve: async (order, args, context) => {
        const actor = actorOf(context);
        if (await callerDistributes(context, actor, order)) {
          return resolveGroupedConnection(context, 'workOrderAssignments', {
            parent: order.id,
            args,
            fetch: (ids) => orderAssignments(context, ids),
            groupOf: (row: Assignment) => row.workOrderId,
          });
        }
        if (!actor.memberId) throw unauthorizedError(context);
        const memberId = actor.memberId;
        return resolveGroupedConnection(context, 'workOrderOwnAssignments', {
          parent: order.id,
          args,
          fetch: (ids) => orderAssignments(context, ids, memberId),
          groupOf: (row: Assignment) => row.workOrderId,
        });
      },
    },
    AssignmentConnection,
  ),
}));

const OfferAssignmentInput = builder.inputType('OfferAssignmentInput', {
  description: '割り当ての打診 (offering a member a share of an order)',
  fields: (t) => ({
    workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
    memberId: t.id({ required: true, description: '打診する会員 ID (the member)' }),
    role: t.field({ type: AssignmentRoleEnum, required: true, description: '役割 (role)' }),
    volume: t.int({
      required: true,
      description:
        '割り当てる量 — 発注の volumeUnit、残りの量以下 (volume in the order’s unit, at most its remaining volume)',
    }),
  }),
});

const AssignmentIdFields = (description: string) =>
  builder.inputType(description, {
    description: `${description} の対象 (the assignment)`,
    fields: (t) => ({
      assignmentId: t.id({ required: true, description: '割り当て ID (assignment id)' }),
    }),
  });

const CompleteAssignmentInput = builder.inputType('CompleteAssignmentInput', {
  description: '割り当ての完了 (recording an assignment as done)',
  fields: (t) => ({
    assignmentId: t.id({ required: true, description: '割り当て ID (assignment id)' }),
    deliveredVolume: t.int({
      required: true,
      description: '納品量 0〜割り当て量 (delivered volume, 0..allocated)',
    }),
    rating: t.int({ required: false, description: '評価 1〜5 (rating, 1..5)' }),
  }),
});

const ASSIGNMENT_ERRORS = [InvalidInputError, NotFoundError, ConflictError] as const;
const signedIn = () => ({ member: true, admin: true });
const success = (description: string) => ({
  field: 'assignment',
  type: AssignmentRef,
  description,
});

defineMutation(builder, 'offerAssignment', {
  description:
    '会員に発注の一部を打診する — 受託組織に登録された会員のみ (機密案件は発注元の拠点に入れる会員のみ。ワーカー・レビュアーは必要スキルの 1 つ以上を最低レベルで持ち、共同受託で役割にスキルがあればそのうち 1 つ以上も持つこと): NOT_ELIGIBLE。期間内の残り稼働可能時間を超えれば OVER_CAPACITY、発注の残りの量を超えれば ALLOCATION_EXCEEDS_REMAINING。最初の打診で発注は ASSIGNING に。受託組織のスタッフ、リーダー (再委託先に登録している間)、ハブ管理者 (offer a member a share of an order: NOT_ELIGIBLE unless registered with the receiving organisation — and, for a confidential order, allowed into the client’s office; a worker or reviewer must also hold at least one required skill at its minimum level and, on a team order, at least one of the skills their role declares; OVER_CAPACITY beyond their remaining hours for the period; ALLOCATION_EXCEEDS_REMAINING beyond the order’s remaining volume; the first offer moves the order to ASSIGNING; staff of the receiving organisation, the leader while registered with the partner, hub admins)',
  input: { type: OfferAssignmentInput, description: '打診の内容 (the offer)' },
  success: success('打診した割り当て (the assignment, OFFERED)'),
  errors: ASSIGNMENT_ERRORS,
  authScopes: signedIn,
  resolve: (input, context) => offerAssignment(context, input, actorOf(context)),
});

defineMutation(builder, 'acceptAssignment', {
  description:
    '打診を承諾する — 本人のみ。回答済みなら ALREADY_ANSWERED。最初の承諾で発注は IN_PROGRESS に (accept an offer; the member only; ALREADY_ANSWERED when answered before; the first acceptance moves the order to IN_PROGRESS)',
  input: {
    type: AssignmentIdFields('AcceptAssignmentInput'),
    description: '承諾する打診 (the offer)',
  },
  success: success('承諾した割り当て (the assignment, ACCEPTED)'),
  errors: ASSIGNMENT_ERRORS,
  authScopes: () => ({ member: true }),
  resolve: (input, context) => acceptAssignment(context, input, actorOf(context)),
});

defineMutation(builder, 'declineAssignment', {
  description:
    '打診を辞退する — 本人のみ。回答済みなら ALREADY_ANSWERED。その量は発注の残りに戻る (decline an offer; the member only; ALREADY_ANSWERED when answered before; its volume returns to the order)',
  input: {
    type: AssignmentIdFields('DeclineAssignmentInput'),
    description: '辞退する打診 (the offer)',
  },
  success: success('辞退した割り当て (the assignment, DECLINED)'),
  errors: ASSIGNMENT_ERRORS,
  authScopes: () => ({ member: true }),
  resolve: (input, context) => declineAssignment(context, input, actorOf(context)),
});

defineMutation(builder, 'startAssignment', {
  description:
    '承諾した作業を開始する — 本人、受託組織のスタッフ、リーダー、ハブ管理者 (start accepted work; the member, staff of the receiving organisation, the leader, hub admins)',
  input: {
    type: AssignmentIdFields('StartAssignmentInput'),
    description: '開始する割り当て (the assignment)',
  },
  success: success('作業中の割り当て (the assignment, IN_PROGRESS)'),
  errors: ASSIGNMENT_ERRORS,
  authScopes: signedIn,
  resolve: (input, context) => startAssignment(context, input, actorOf(context)),
});

defineMutation(builder, 'completeAssignment', {
  description:
    '作業中の割り当てを完了にする — 納品量と任意で評価 1〜5。受託組織のスタッフ、リーダー、ハブ管理者 (record work in progress as done, with the delivered volume and optionally a rating 1..5; staff of the receiving organisation, the leader, hub admins)',
  input: { type: CompleteAssignmentInput, description: '完了の内容 (the completion)' },
  success: success('完了した割り当て (the assignment, DONE)'),
  errors: ASSIGNMENT_ERRORS,
  authScopes: signedIn,
  resolve: (input, context) => completeAssignment(context, input, actorOf(context)),
});
