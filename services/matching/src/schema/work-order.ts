import {
  ConflictError,
  callerSpeaksFor,
  countedList,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestGroupLoader,
  requestLoader,
} from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { confirmWorkOrderLink } from '../domain/confirm-work-order-link.js';
import { declineWorkOrderLink } from '../domain/decline-work-order-link.js';
import { postWorkOrder } from '../domain/post-work-order.js';
import {
  WORK_ORDER_ORDER,
  type WorkOrderFilter,
  workOrderWhere,
} from '../domain/search-work-orders.js';
import { MAX_REQUIRED_SKILLS } from '../domain/work-order-fields.js';
import {
  isConfirmedWorkOrder,
  mayReadWorkOrder,
  organizationOf,
  PUBLIC_WORK_ORDER,
  readableWorkOrderWhere,
  type WorkOrderSide,
} from '../domain/work-order-links.js';
import {
  AssignmentRole,
  PayModel,
  VolumeUnit,
  WorkCategory,
  type WorkOrderSkill,
  WorkOrderStatus,
} from '../generated/prisma/client.js';

export const WorkCategoryEnum = builder.enumType(WorkCategory, {
  name: 'WorkCategory',
  description: '仕事の分野 (category of work)',
  values: {
    WEB_SITE_BUILDING: { description: 'ウェブサイト構築 (web site building)' },
    DATA_ENTRY: { description: 'データ入力 (data entry)' },
    OFFICE_PROCESSING: { description: '事務処理 (office processing)' },
    DESIGN: { description: 'デザイン (design)' },
    WRITING: { description: 'ライティング (writing)' },
    TRANSLATION: { description: '翻訳 (translation)' },
    PROGRAMMING: { description: 'プログラミング (programming)' },
    VIDEO: { description: '動画制作・編集 (video)' },
    OTHER: { description: 'その他 (other)' },
  },
});

export const VolumeUnitEnum = builder.enumType(VolumeUnit, {
  name: 'VolumeUnit',
  description: '作業量の単位 (unit of the volume of work)',
  values: {
    HOURS: { description: '時間 (hours)' },
    UNITS: { description: '件・個数 (units, e.g. records entered)' },
  },
});

export const PayModelEnum = builder.enumType(PayModel, {
  name: 'PayModel',
  description: '報酬の支払い方 (how the work is paid)',
  values: {
    HOURLY: { description: '時間単価 — rate は1時間あたりの円 (hourly: rate is yen per hour)' },
    PER_UNIT: { description: '出来高 — rate は1件あたりの円 (per unit: rate is yen per unit)' },
    FIXED: { description: '固定額 — rate は案件全体の円 (fixed: rate is yen for the whole order)' },
  },
});

export const WorkOrderStatusEnum = builder.enumType(WorkOrderStatus, {
  name: 'WorkOrderStatus',
  description: '発注の状態 (status of a work order)',
  values: {
    DRAFT: {
      description:
        '下書き — 当事者のスタッフとハブ管理者のみ閲覧、公開で募集中へ (draft: only the parties’ staff and hub admins see it; publishing opens it)',
    },
    OPEN: { description: '募集中 (open for workers)' },
    ASSIGNING: {
      description: '割り当て中 — 最初の打診で自動的に (assigning: set by the first offer)',
    },
    IN_PROGRESS: {
      description: '作業中 — 最初の承諾で自動的に (in progress: set by the first acceptance)',
    },
    DELIVERED: { description: '納品済み (delivered)' },
    CLOSED: { description: '完了・締め (closed)' },
    ASSIGNED: {
      description: '担当者決定 (assigned) — 使われなくなりました、ASSIGNING を参照',
      deprecationReason:
        'ASSIGNING と IN_PROGRESS に置き換え (replaced by ASSIGNING and IN_PROGRESS)',
    },
    DONE: {
      description: '完了 (done) — 使われなくなりました、CLOSED を参照',
      deprecationReason: 'DELIVERED と CLOSED に置き換え (replaced by DELIVERED and CLOSED)',
    },
    CANCELLED: { description: '取り消し (cancelled)' },
  },
});

export const RequiredSkillRef = builder.objectRef<WorkOrderSkill>('RequiredSkill').implement({
  description: '発注に必要なスキルと最低レベル (a skill an order needs, with the minimum level)',
  fields: (t) => ({
    skillCode: t.exposeString('skillCode', {
      description:
        'スキルコード — members のスキル分類 (skill code of the members taxonomy, e.g. data-entry)',
    }),
    minimumLevel: t.exposeInt('minimumLevel', {
      description: '必要な最低レベル 1〜5 (minimum level, 1..5)',
    }),
  }),
});

export const WorkOrderRef = builder.prismaObject('WorkOrder', {
  description:
    '企業からテレワークセンター等へ出される仕事の発注 (a work order a client company sends, usually through a receiving telework centre)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    title: t.exposeString('title', { description: '件名 (title)' }),
    description: t.exposeString('description', {
      nullable: true,
      description: '内容の説明 (description)',
    }),
    category: t.expose('category', { type: WorkCategoryEnum, description: '分野 (category)' }),
    volume: t.exposeInt('volume', {
      description: '作業量 — 単位は volumeUnit (volume of work, in volumeUnit)',
    }),
    volumeUnit: t.expose('volumeUnit', {
      type: VolumeUnitEnum,
      description: '作業量の単位 (unit of volume)',
    }),
    payModel: t.expose('payModel', {
      type: PayModelEnum,
      description: '報酬の支払い方 (pay model)',
    }),
    rate: t.exposeInt('rate', {
      description: '単価・金額 円 — payModel による (rate in yen, per payModel)',
    }),
    deadline: t.expose('deadline', {
      type: 'DateTime',
      nullable: true,
      description: '納期 (deadline)',
    }),
    requiresOnSite: t.exposeBoolean('requiresOnSite', {
      description:
        '機密のため発注元のサテライトオフィス内での作業が必要 (confidential: work only inside the client’s satellite office)',
    }),
    status: t.expose('status', { type: WorkOrderStatusEnum, description: '状態 (status)' }),
    clientConfirmedAt: t.expose('clientConfirmedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        '発注元が確認した日時 — 発注元のスタッフかハブ管理者が登録したときは登録時。null は確認待ち、または辞退 (取り消し) (when the client confirmed its part: at posting when its staff or a hub admin posted; null = awaiting its admin, or declined and cancelled)',
    }),
    receivingCentreConfirmedAt: t.expose('receivingCentreConfirmedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        '受託組織が確認した日時 — 受託組織がなければ null (when the receiving centre confirmed its part; null while awaiting it, or when there is no centre)',
    }),
    isConfirmed: t.boolean({
      description:
        '挙げられたすべての組織 (発注元・受託組織) が確認済みか — 確認済みの発注だけが公開・一覧・募集される (whether every organisation it names has confirmed; only confirmed orders are public, listed and offered)',
      resolve: (order) => isConfirmedWorkOrder(order),
    }),
    requiredSkills: t.field({
      type: [RequiredSkillRef],
      description: '必要なスキルと最低レベル (required skills with minimum level)',
      resolve: (order, _args, context) => requiredSkillsLoader(context).load(order.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '登録日時 (posted at)' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: '更新日時 (updated at)' }),
  }),
});

/** Orders by id whoever may read them: check mayReadWorkOrder before handing one out. */
export function workOrderLoader(context: MatchingContext) {
  return requestLoader(context, 'workOrderById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.workOrder.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (order) => order.id,
  });
}

function requiredSkillsLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'requiredSkillsByWorkOrder', {
    fetch: (ids: readonly string[]) =>
      context.prisma.workOrderSkill.findMany({
        where: { workOrderId: { in: [...ids] } },
        orderBy: [{ minimumLevel: 'desc' }, { skillCode: 'asc' }],
      }),
    groupOf: (skill) => skill.workOrderId,
  });
}

builder.asEntity(WorkOrderRef, {
  key: builder.selection<{ id: string }>('id'),
  // An order not yet confirmed by everyone it names is for the two sides only.
  resolveReference: async (ref, context) => {
    const order = await workOrderLoader(context).load(ref.id);
    return order && mayReadWorkOrder(order, context) ? order : null;
  },
});

const WorkOrderFilterInput = builder.inputType('WorkOrderFilter', {
  description:
    '発注の絞り込み条件 — 指定した条件すべてに一致 (filter for work orders; all given conditions apply)',
  fields: (t) => ({
    status: t.field({ type: WorkOrderStatusEnum, required: false, description: '状態 (status)' }),
    category: t.field({ type: WorkCategoryEnum, required: false, description: '分野 (category)' }),
    clientId: t.id({ required: false, description: '発注元の組織 ID (client organization id)' }),
    receivingCentreId: t.id({
      required: false,
      description: '受託組織 ID (receiving organization id)',
    }),
  }),
});

/** One connection type for every list of work orders: root `workOrders` and Organization's. */
export const WorkOrderConnection = defineConnection(builder, WorkOrderRef, {
  name: 'WorkOrderConnection',
  description: '発注のページ (a page of work orders)',
  edgeDescription: '発注とそのカーソル (a work order with its cursor)',
});

builder.queryFields((t) => ({
  workOrder: t.prismaField({
    type: 'WorkOrder',
    nullable: true,
    description:
      'ID で発注を取得 — 確認待ちの発注は発注元・受託組織のスタッフとハブ管理者のみ (a work order by id; one awaiting confirmation only for staff of its client or receiving centre and hub admins, null for anyone else)',
    args: { id: t.arg.id({ required: true, description: '発注 ID (UUID)' }) },
    resolve: (query, _root, { id }, context) =>
      context.prisma.workOrder.findFirst({
        ...query,
        where: { AND: [{ id }, readableWorkOrderWhere(context)] },
      }),
  }),
  workOrders: t.prismaConnection(
    {
      type: 'WorkOrder',
      cursor: 'id',
      description:
        '発注の一覧・検索、新しい順 — 確認済みのもののみ (confirmed work orders, searched and paged, newest first)',
      args: {
        filter: t.arg({
          type: WorkOrderFilterInput,
          required: false,
          description: '絞り込み (filter)',
        }),
      },
      // Only confirmed orders are public: the condition holds it, so totalCount counts them only.
      ...countedList({
        where: (args: { filter?: WorkOrderFilter | null }) => ({
          AND: [PUBLIC_WORK_ORDER, workOrderWhere(args.filter)],
        }),
        findMany: (query, context: MatchingContext) =>
          context.prisma.workOrder.findMany({ ...query, orderBy: WORK_ORDER_ORDER }),
        count: (where, context: MatchingContext) => context.prisma.workOrder.count({ where }),
      }),
    },
    WorkOrderConnection,
  ),
}));

const RequiredSkillInput = builder.inputType('RequiredSkillInput', {
  description: '必要なスキル (a required skill)',
  fields: (t) => ({
    skillCode: t.string({
      required: true,
      maxLength: 64,
      description: 'スキルコード (skill code, e.g. data-entry)',
    }),
    minimumLevel: t.int({ required: true, description: '最低レベル 1〜5 (minimum level, 1..5)' }),
  }),
});

export const AssignmentRoleEnum = builder.enumType(AssignmentRole, {
  name: 'AssignmentRole',
  description: '割り当ての役割 (role of an assignment)',
  values: {
    WORKER: { description: '作業者 (worker)' },
    LEADER: { description: 'リーダー — 配分と取りまとめ (leader: distributes and coordinates)' },
    REVIEWER: { description: '検品・レビュー担当 (reviewer)' },
  },
});

const TeamRoleInput = builder.inputType('TeamRoleInput', {
  description: '共同受託で埋める役割 (a role a team order needs filled)',
  fields: (t) => ({
    role: t.field({ type: AssignmentRoleEnum, required: true, description: '役割 (role)' }),
    count: t.int({ required: true, description: '人数 1〜100 (how many people, 1..100)' }),
    skillCodes: t.stringList({
      maxLength: 64,
      required: false,
      description: 'この役割に必要なスキルコード (skill codes the role needs)',
    }),
  }),
});

const PostWorkOrderInput = builder.inputType('PostWorkOrderInput', {
  description: '新しい発注の内容 (a new work order)',
  fields: (t) => ({
    title: t.string({
      required: true,
      maxLength: 200,
      description: '件名 1〜200文字 (title, 1..200 characters)',
    }),
    description: t.string({
      required: false,
      maxLength: 5000,
      description: '内容の説明 (description)',
    }),
    category: t.field({ type: WorkCategoryEnum, required: true, description: '分野 (category)' }),
    clientId: t.id({
      required: true,
      description:
        '発注元の組織 ID — 登録者がスタッフでなければ、その組織の管理者の確認待ち (client organization id; awaits its admin’s confirmation unless you are its staff)',
    }),
    receivingCentreId: t.id({
      required: false,
      description:
        '受託組織 ID — 登録者がスタッフでなければ、その組織の管理者の確認待ち (receiving organization id; awaits its admin’s confirmation unless you are its staff)',
    }),
    volume: t.int({ required: true, description: '作業量 1以上 (volume, > 0)' }),
    volumeUnit: t.field({
      type: VolumeUnitEnum,
      required: true,
      description:
        '作業量の単位 — HOURLY は HOURS、PER_UNIT は UNITS (HOURLY needs HOURS, PER_UNIT needs UNITS)',
    }),
    payModel: t.field({
      type: PayModelEnum,
      required: true,
      description: '報酬の支払い方 (pay model)',
    }),
    rate: t.int({ required: true, description: '単価・金額 円、1以上 (rate in yen, > 0)' }),
    deadline: t.field({
      type: 'DateTime',
      required: false,
      description:
        '納期、未来の5年以内の日時 — 過去なら DEADLINE_IN_PAST、5年より先なら DEADLINE_TOO_FAR (deadline, in the future and at most 5 years ahead; DEADLINE_IN_PAST or DEADLINE_TOO_FAR otherwise)',
    }),
    requiresOnSite: t.boolean({
      required: false,
      description: '発注元サテライトオフィス内での作業が必要 (must be done on site; default false)',
    }),
    draft: t.boolean({
      required: false,
      description:
        '下書きとして保存 — publishWorkOrder で公開 (keep as DRAFT until publishWorkOrder; default false)',
    }),
    hoursPerUnit: t.float({
      required: false,
      description:
        '1件あたりの作業時間 — 件数の発注でワーカーの稼働可能時間と比べるため、省略時1 (hours one unit takes, to weigh UNITS against a worker’s hours; default 1)',
    }),
    roles: t.field({
      type: [TeamRoleInput],
      required: false,
      description:
        '共同受託で埋める役割と人数 — 役割ごとに1件 (team order: the roles to fill and how many people, one entry per role)',
    }),
    requiredSkills: t.field({
      type: [RequiredSkillInput],
      required: false,
      description: `必要なスキル、${MAX_REQUIRED_SKILLS}件まで、コード重複不可 (required skills, at most ${MAX_REQUIRED_SKILLS}, unique codes)`,
    }),
  }),
});

defineMutation(builder, 'postWorkOrder', {
  description:
    '仕事を発注する — 募集中 (draft なら下書き) で登録。ハブ管理者、または発注元 (clientId) か受託組織 (receivingCentreId) のスタッフのみ。登録者がスタッフでない側の組織が確認するまでは両側のスタッフにだけ見え、確認されたときに公開 (post a work order, stored as OPEN, or DRAFT with draft: true. Hub admins, or staff of the client or of the receiving centre; until the side you are not staff of confirms, only staff of the two sides see it; it becomes public once that side confirms)',
  input: { type: PostWorkOrderInput, description: '発注内容 (the order)' },
  success: { field: 'workOrder', type: WorkOrderRef, description: '登録した発注 (the new order)' },
  errors: [InvalidInputError],
  // A centre often enters the orders its client companies send it, so staff of either side
  // may post.
  authScopes: (input) => ({
    admin: true,
    staffOf: [input.clientId, input.receivingCentreId].filter((id): id is string => !!id),
  }),
  // The domain commits the order with its event (if it takes effect at once) and wakes the relay.
  resolve: (input, context) =>
    postWorkOrder(context, input, { speaksFor: callerSpeaksFor(context.identity) }),
});

const ConfirmWorkOrderClientInput = builder.inputType('ConfirmWorkOrderClientInput', {
  description: '発注元としての確認 (confirming your organisation as the client of a work order)',
  fields: (t) => ({
    workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
  }),
});
const DeclineWorkOrderClientInput = builder.inputType('DeclineWorkOrderClientInput', {
  description: '発注元としての辞退 (declining to be the client of a work order)',
  fields: (t) => ({
    workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
  }),
});
const ConfirmWorkOrderReceivingCentreInput = builder.inputType(
  'ConfirmWorkOrderReceivingCentreInput',
  {
    description:
      '受託組織としての確認 (confirming your organisation as the receiving centre of a work order)',
    fields: (t) => ({
      workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
    }),
  },
);
const DeclineWorkOrderReceivingCentreInput = builder.inputType(
  'DeclineWorkOrderReceivingCentreInput',
  {
    description: '受託組織としての辞退 (declining to be the receiving centre of a work order)',
    fields: (t) => ({
      workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
    }),
  },
);

/**
 * Answering for a side is for the admin of the organisation named there (and hub admins). An
 * unknown order, or one without that side: hub admins only (they get NOT_FOUND from the
 * operation), everyone else the same refusal, so pending orders cannot be probed.
 */
async function sideAdmins(context: MatchingContext, workOrderId: string, side: WorkOrderSide) {
  const order = await workOrderLoader(context).load(workOrderId);
  const organizationId = order ? organizationOf(order, side) : null;
  return organizationId ? { admin: true, orgAdmin: organizationId } : { admin: true };
}

/** What answering for a side can run into: a malformed id, no such order or side, a decided order. */
const LINK_ERRORS = [InvalidInputError, NotFoundError, ConflictError] as const;

defineMutation(builder, 'confirmWorkOrderClient', {
  description:
    '発注元として確認する — 受託組織も確認済みなら発注が公開される。発注元の組織の管理者かハブ管理者のみ (confirm that your organisation is the client of a work order it was named in; once every named organisation has confirmed, the order becomes public; the client’s admin or a hub admin)',
  input: { type: ConfirmWorkOrderClientInput, description: '確認する発注 (the order)' },
  success: {
    field: 'workOrder',
    type: WorkOrderRef,
    description: '確認後の発注 (the order as confirmed)',
  },
  errors: LINK_ERRORS,
  authScopes: (input, context) => sideAdmins(context, input.workOrderId, 'client'),
  resolve: (input, context) => confirmWorkOrderLink(context, input, 'client'),
});

defineMutation(builder, 'declineWorkOrderClient', {
  description:
    '発注元となることを辞退する — 発注は取り消され、公開されない。発注元の組織の管理者かハブ管理者のみ (decline to be the client of a work order: it is cancelled and never becomes public; the client’s admin or a hub admin)',
  input: { type: DeclineWorkOrderClientInput, description: '辞退する発注 (the order)' },
  success: {
    field: 'workOrder',
    type: WorkOrderRef,
    description: '取り消された発注 (the order, cancelled)',
  },
  errors: LINK_ERRORS,
  authScopes: (input, context) => sideAdmins(context, input.workOrderId, 'client'),
  resolve: (input, context) => declineWorkOrderLink(context.prisma, input, 'client'),
});

defineMutation(builder, 'confirmWorkOrderReceivingCentre', {
  description:
    '受託組織として確認する — 発注元も確認済みなら発注が公開される。受託組織の管理者かハブ管理者のみ (confirm that your organisation receives a work order it was named in; once every named organisation has confirmed, the order becomes public; the centre’s admin or a hub admin)',
  input: { type: ConfirmWorkOrderReceivingCentreInput, description: '確認する発注 (the order)' },
  success: {
    field: 'workOrder',
    type: WorkOrderRef,
    description: '確認後の発注 (the order as confirmed)',
  },
  errors: LINK_ERRORS,
  authScopes: (input, context) => sideAdmins(context, input.workOrderId, 'receivingCentre'),
  resolve: (input, context) => confirmWorkOrderLink(context, input, 'receivingCentre'),
});

defineMutation(builder, 'declineWorkOrderReceivingCentre', {
  description:
    '受託組織となることを辞退する — 発注は取り消され、公開されない。受託組織の管理者かハブ管理者のみ (decline to receive a work order: it is cancelled and never becomes public; the centre’s admin or a hub admin)',
  input: { type: DeclineWorkOrderReceivingCentreInput, description: '辞退する発注 (the order)' },
  success: {
    field: 'workOrder',
    type: WorkOrderRef,
    description: '取り消された発注 (the order, cancelled)',
  },
  errors: LINK_ERRORS,
  authScopes: (input, context) => sideAdmins(context, input.workOrderId, 'receivingCentre'),
  resolve: (input, context) => declineWorkOrderLink(context.prisma, input, 'receivingCentre'),
});
