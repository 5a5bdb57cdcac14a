import {
  ConflictError,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestGroupLoader,
  requestLoader,
} from '@hub/service-kit';
import { callerLeads } from '../authorization/leader-access.js';
import { builder, type MatchingContext } from '../builder.js';
import { type OpenRole, openRolesOf, teamRolesOf } from '../domain/assignments/team-roles.js';
import type { TTeamRole } from '../domain/work-order-fields.js';
import { mayReadWorkOrder } from '../domain/work-order-links.js';
import { actorOf } from '../domain/work-orders/actor.js';
import { delegateWorkOrder } from '../domain/work-orders/delegate-work-order.js';
import { remainingVolumes } from '../domain/work-orders/remaining-volume.js';
import {
  type BranchProgress,
  branchProgressOf,
  type OwnProgress,
  ownProgressOf,
  treePartiesOf,
} from '../domain/work-orders/tree-progress.js';
import type { WorkOrder } from '../generated/prisma/client.js';
import { OrganizationRef } from './organization.js';
import {
  AssignmentRoleEnum,
  WorkOrderRef,
  WorkOrderStatusEnum,
  workOrderLoader,
} from './work-order.js';

// Delegation trees (docs/matching.md, "Delegation"): the links between orders, their volumes
// and progress, and delegateWorkOrder. Figures of a tree are for its parties only: staff of the
// client and of every organisation receiving a part, the leaders (while registered with the
// part's receiver), hub admins.

const rootOf = (order: WorkOrder) => order.rootId ?? order.id;

function treePartiesLoader(context: MatchingContext) {
  return requestLoader(context, 'workOrderTreeParties', {
    fetch: (rootIds: readonly string[]) => treePartiesOf(context.prisma, rootIds),
    keyOf: (row) => row.rootId,
  });
}

/**
 * Whether the caller is a party to the order's tree (or a hub admin): staff of an organisation
 * in it, or the leader of a part while registered today with the organisation receiving it
 * (callerLeads, the rule leaders distribute by: a leader who left the partner no longer follows
 * the tree). The registrations are one query per request, and only for a caller named a leader.
 */
export async function isTreeParty(context: MatchingContext, order: WorkOrder): Promise<boolean> {
  const actor = actorOf(context);
  if (actor.isAdmin) return true;
  const parties = await treePartiesLoader(context).load(rootOf(order));
  if (!parties) return false;
  if (parties.organizationIds.some((id) => actor.staffOf.includes(id))) return true;
  const led = parties.leaders.filter((part) => part.leaderMemberId === actor.memberId);
  const leads = await Promise.all(led.map((part) => callerLeads(context, part)));
  return leads.includes(true);
}

export const treePartiesOnly = {
  authScopes: async (order: WorkOrder, _args: unknown, context: MatchingContext) =>
    isTreeParty(context, order),
};

function ownProgressLoader(context: MatchingContext) {
  return requestLoader(context, 'workOrderOwnProgress', {
    fetch: (ids: readonly string[]) => ownProgressOf(context.prisma, ids),
    keyOf: (row) => row.workOrderId,
  });
}

function branchProgressLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'workOrderBranchProgress', {
    fetch: (ids: readonly string[]) => branchProgressOf(context.prisma, ids),
    groupOf: (row) => row.parentId,
  });
}

function remainingVolumeLoader(context: MatchingContext) {
  return requestLoader(context, 'workOrderRemainingVolume', {
    fetch: (ids: readonly string[]) => remainingVolumes(context.prisma, ids),
    keyOf: (row) => row.id,
  });
}

function childrenLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'workOrderChildren', {
    fetch: (ids: readonly string[]) =>
      context.prisma.workOrder.findMany({
        where: { parentId: { in: [...ids] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    groupOf: (order) => order.parentId ?? '',
  });
}

function openRoleAssignmentsLoader(context: MatchingContext) {
  return requestGroupLoader(context, 'workOrderRoleAssignments', {
    fetch: (ids: readonly string[]) =>
      context.prisma.assignment.findMany({
        where: { workOrderId: { in: [...ids] }, status: { not: 'DECLINED' } },
        select: { workOrderId: true, role: true, status: true },
      }),
    groupOf: (row) => row.workOrderId,
  });
}

const TeamRoleRef = builder.objectRef<TTeamRole>('TeamRole').implement({
  description: '共同受託で埋める役割 (a role a team order needs filled)',
  fields: (t) => ({
    role: t.field({ type: AssignmentRoleEnum, description: '役割 (role)', resolve: (r) => r.role }),
    count: t.exposeInt('count', { description: '必要な人数 (people needed)' }),
    skillCodes: t.exposeStringList('skillCodes', {
      description: '必要なスキルコード (skill codes the role needs)',
    }),
  }),
});

const OpenRoleRef = builder.objectRef<OpenRole>('OpenRole').implement({
  description: '役割の充足状況 — 人数のみ (how far a role is filled; counts only, never who)',
  fields: (t) => ({
    role: t.field({ type: AssignmentRoleEnum, description: '役割 (role)', resolve: (r) => r.role }),
    count: t.exposeInt('count', { description: '必要な人数 (people needed)' }),
    skillCodes: t.exposeStringList('skillCodes', {
      description: '必要なスキルコード (skill codes the role needs)',
    }),
    filled: t.exposeInt('filled', {
      description: '承諾済み・作業中・完了の人数 (accepted, in progress or done)',
    }),
    offered: t.exposeInt('offered', { description: '打診中の人数 (offers awaiting an answer)' }),
    open: t.exposeInt('open', { description: 'まだ打診できる人数 (still to be offered)' }),
  }),
});

const ProgressRef = builder
  .objectRef<OwnProgress & { volume: number }>('WorkOrderProgress')
  .implement({
    description: '発注自身の進捗 — 単位は volumeUnit (the order’s own progress, in its volumeUnit)',
    fields: (t) => ({
      volume: t.exposeInt('volume', { description: '作業量 (volume)' }),
      delegated: t.exposeInt('delegated', {
        description: '再委託した量 — 取り消しを除く (volume delegated to partners, not cancelled)',
      }),
      allocated: t.exposeInt('allocated', {
        description:
          '直接の割り当て量 — 辞退を除く (allocated to its own assignments, not declined)',
      }),
      accepted: t.exposeInt('accepted', {
        description: '承諾された量 (accepted, in progress or done)',
      }),
      delivered: t.exposeInt('delivered', { description: '納品された量 (delivered)' }),
    }),
  });

type TBranch = BranchProgress & { order: WorkOrder };

const BranchProgressRef = builder.objectRef<TBranch>('WorkOrderBranchProgress').implement({
  description:
    '再委託先ごとの進捗 — その枝の下すべての割り当ての合計 (progress of one delegated branch: totals over every order below it)',
  fields: (t) => ({
    workOrder: t.field({
      type: WorkOrderRef,
      description: '再委託した発注 (the delegated order)',
      resolve: (branch) => branch.order,
    }),
    organization: t.field({
      type: OrganizationRef,
      description: '再委託先の組織 (the partner organisation)',
      resolve: (branch) => ({ id: branch.order.receivingCentreId ?? branch.order.clientId }),
    }),
    status: t.field({
      type: WorkOrderStatusEnum,
      description: '再委託した発注の状態 (status of the delegated order)',
      resolve: (branch) => branch.order.status,
    }),
    volume: t.int({
      description: '再委託した量 (volume delegated)',
      resolve: (branch) => branch.order.volume,
    }),
    allocated: t.exposeInt('allocated', { description: '割り当て量 (allocated, not declined)' }),
    accepted: t.exposeInt('accepted', { description: '承諾された量 (accepted or further)' }),
    delivered: t.exposeInt('delivered', { description: '納品された量 (delivered)' }),
  }),
});

builder.prismaObjectFields(WorkOrderRef, (t) => ({
  hoursPerUnit: t.float({
    nullable: true,
    description:
      '1件あたりの作業時間 — 件数の発注で稼働可能時間と比べる。null は1時間 (hours one unit takes; null = 1)',
    resolve: (order) => (order.hoursPerUnit === null ? null : Number(order.hoursPerUnit)),
  }),
  roles: t.field({
    type: [TeamRoleRef],
    description: '共同受託で埋める役割 — なければ空 (team order roles; empty when none)',
    resolve: (order) => teamRolesOf(order.roles),
  }),
  openRoles: t.field({
    type: [OpenRoleRef],
    description: '役割ごとの充足状況 (how far each role is filled, counts only)',
    resolve: async (order, _args, context) =>
      openRolesOf(
        teamRolesOf(order.roles),
        await openRoleAssignmentsLoader(context).load(order.id),
      ),
  }),
  parent: t.field({
    type: WorkOrderRef,
    nullable: true,
    description: '再委託元の発注 — 発注元が出した発注なら null (the order this was delegated from)',
    resolve: async (order, _args, context) => {
      if (!order.parentId) return null;
      const parent = await workOrderLoader(context).load(order.parentId);
      return parent && mayReadWorkOrder(parent, context) ? parent : null;
    },
  }),
  root: t.field({
    type: WorkOrderRef,
    nullable: true,
    description:
      '再委託の木の最上位 — 発注元が出した発注 (the client’s order at the top of the tree)',
    resolve: async (order, _args, context) => {
      const root = await workOrderLoader(context).load(rootOf(order));
      return root && mayReadWorkOrder(root, context) ? root : null;
    },
  }),
  children: t.field({
    type: [WorkOrderRef],
    description: '再委託した発注、古い順 (orders delegated from this one, oldest first)',
    resolve: async (order, _args, context) =>
      (await childrenLoader(context).load(order.id)).filter((child) =>
        mayReadWorkOrder(child, context),
      ),
  }),
  delegationNote: t.exposeString('delegationNote', {
    nullable: true,
    description:
      '再委託時のメモ — 木の当事者のみ (note of the delegation; parties of the tree only)',
    ...treePartiesOnly,
  }),
  remainingVolume: t.int({
    nullable: true,
    description:
      'まだ割り当ても再委託もしていない量 — 木の当事者のみ (volume neither allocated nor delegated yet; parties of the tree only)',
    ...treePartiesOnly,
    resolve: async (order, _args, context) =>
      (await remainingVolumeLoader(context).load(order.id))?.remaining ?? order.volume,
  }),
  progress: t.field({
    type: ProgressRef,
    nullable: true,
    description:
      '発注自身の進捗 — 発注元・受託組織・再委託先のスタッフ、リーダー (再委託先に登録している間)、ハブ管理者 (the order’s own progress; staff of the client, the receiving centre and partners in the tree, leaders while registered with their partner, hub admins)',
    ...treePartiesOnly,
    resolve: async (order, _args, context) => {
      const own = await ownProgressLoader(context).load(order.id);
      return {
        workOrderId: order.id,
        volume: order.volume,
        delegated: own?.delegated ?? 0,
        allocated: own?.allocated ?? 0,
        accepted: own?.accepted ?? 0,
        delivered: own?.delivered ?? 0,
      };
    },
  }),
  treeProgress: t.field({
    type: [BranchProgressRef],
    nullable: true,
    description:
      '再委託先ごとの進捗 — 子の発注1件につき1行、その下すべての合計。木の当事者のみ (progress per delegated branch: one entry per child with the totals of its whole subtree; parties of the tree only)',
    ...treePartiesOnly,
    resolve: async (order, _args, context) => {
      const [branches, children] = await Promise.all([
        branchProgressLoader(context).load(order.id),
        childrenLoader(context).load(order.id),
      ]);
      const byId = new Map(children.map((child) => [child.id, child]));
      return branches.flatMap((branch) => {
        const child = byId.get(branch.workOrderId);
        return child ? [{ ...branch, order: child }] : [];
      });
    },
  }),
}));

const DelegateWorkOrderInput = builder.inputType('DelegateWorkOrderInput', {
  description: '発注の一部の再委託 (passing a share of an order to a partner organisation)',
  fields: (t) => ({
    workOrderId: t.id({ required: true, description: '再委託元の発注 ID (the order)' }),
    partnerOrganizationId: t.id({
      required: true,
      description:
        '再委託先の組織 ID — 登録者がそのスタッフでなければ、その組織の管理者の確認待ち (the partner organisation; awaits its admin’s confirmation unless you are its staff)',
    }),
    volume: t.int({
      required: true,
      description:
        '再委託する量 — 残りの量 (remainingVolume) 以下 (volume to pass on, at most the remaining volume)',
    }),
    leaderMemberId: t.id({
      required: false,
      description:
        '再委託先で配分するリーダーの会員 ID — 再委託先に登録されていること (the member who distributes it; must be registered with the partner)',
    }),
    note: t.string({
      required: false,
      maxLength: 2000,
      description: '再委託先へのメモ (note to the partner)',
    }),
  }),
});

defineMutation(builder, 'delegateWorkOrder', {
  description:
    '発注の一部を協力組織へ再委託する — 同じ発注元の子の発注ができ、再委託先とそのリーダーがさらに配分する。残りの量を超えると DELEGATION_EXCEEDS_REMAINING (同時の再委託でも)。受託組織のスタッフ、リーダー、ハブ管理者 (pass a share of an order to a partner organisation: a child order with the same client, which the partner and its leader distribute further; DELEGATION_EXCEEDS_REMAINING beyond the remaining volume, also under concurrent delegations; staff of the receiving centre, the order’s leader, hub admins)',
  input: { type: DelegateWorkOrderInput, description: '再委託の内容 (the delegation)' },
  success: {
    field: 'workOrder',
    type: WorkOrderRef,
    description: '再委託で作られた子の発注 (the child order)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: () => ({ member: true, admin: true }),
  resolve: (input, context) => delegateWorkOrder(context, input, actorOf(context)),
});
