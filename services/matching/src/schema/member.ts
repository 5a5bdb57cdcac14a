import { resolveGroupedConnection, unauthorizedError } from '@hub/service-kit';
import type { ObjectRef } from '@pothos/core';
import { assignmentFieldAuth } from '../authorization/assignment-access.js';
import { ordersCallerLeads } from '../authorization/leader-access.js';
import { builder, type MatchingContext } from '../builder.js';
import { actorOf } from '../domain/work-orders/actor.js';
import type { Assignment } from '../generated/prisma/client.js';
import { ASSIGNMENT_ORDER, AssignmentConnection, AssignmentRef } from './assignment.js';
import { CandidateRef } from './candidate.js';
import { WorkOrderRef } from './work-order.js';
import { treePartiesOnly } from './work-order-tree.js';
import { WorkerRef } from './worker.js';

/** Members are owned by the members service; a worker points at its member by id. */
const MemberEntity = builder.externalRef('Member', builder.selection<{ id: string }>('id'));

MemberEntity.implement({
  externalFields: (t) => ({ id: t.id() }),
});

type SchemaTypesOf<B> = B extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The Member type, for the fields other files add to it and the `{ id }` stubs they return. */
export const MemberRef: ObjectRef<SchemaTypesOf<typeof builder>, { id: string }> = MemberEntity;

builder.prismaObjectField(WorkerRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    nullable: true,
    description: '会員 (the member)',
    resolve: (worker) => ({ id: worker.memberId }),
  }),
);

builder.objectField(CandidateRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    description: '会員 (the member)',
    resolve: (candidate) => ({ id: candidate.memberId }),
  }),
);

builder.prismaObjectField(WorkOrderRef, 'leader', (t) =>
  t.field({
    type: MemberRef,
    nullable: true,
    description:
      '再委託先で配分するリーダー — 木の当事者のみ (the member distributing a delegated order; parties of the tree only)',
    ...treePartiesOnly,
    resolve: (order) => (order.leaderMemberId ? { id: order.leaderMemberId } : null),
  }),
);

builder.prismaObjectField(AssignmentRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    nullable: true,
    description: '会員 — 削除された会員なら null (the member; null once erased)',
    ...assignmentFieldAuth('member'),
    resolve: (assignment) => (assignment.memberId ? { id: assignment.memberId } : null),
  }),
);

/**
 * A member's assignments the caller may list: every one for the member and hub admins; for
 * anyone else signed in, those on orders their organisations receive (staff) or they lead while
 * registered with the order's receiver.
 */
async function memberAssignments(context: MatchingContext, memberIds: readonly string[]) {
  const actor = actorOf(context);
  const where = { memberId: { in: [...memberIds] } };
  if (actor.isAdmin || (actor.memberId && memberIds.every((id) => id === actor.memberId))) {
    return context.prisma.assignment.findMany({ where, orderBy: ASSIGNMENT_ORDER });
  }
  const led = await ordersCallerLeads(context);
  return context.prisma.assignment.findMany({
    where: {
      ...where,
      workOrder: {
        OR: [{ receivingCentreId: { in: [...actor.staffOf] } }, ...(led ? [led] : [])],
      },
    },
    orderBy: ASSIGNMENT_ORDER,
  });
}

builder.objectField(MemberRef, 'assignments', (t) =>
  t.connection(
    {
      type: AssignmentRef,
      nullable: true,
      description:
        '割り当て、新しい順 — 本人とハブ管理者はすべて、コーディネーターは自組織が受託した発注の分、リーダーは自分が配分する発注の分のみ (assignments, newest first: all for the member and hub admins; for staff those on orders their organisation receives, for leaders those on orders they lead)',
      resolve: (member, args, context) => {
        const actor = actorOf(context);
        if (!actor.memberId && !actor.isAdmin) throw unauthorizedError(context);
        const ownKey = actor.memberId === member.id ? 'own' : 'other';
        return resolveGroupedConnection(context, `memberAssignments:${ownKey}`, {
          parent: member.id,
          args,
          fetch: (ids) => memberAssignments(context, ids),
          groupOf: (row: Assignment) => row.memberId ?? '',
        });
      },
    },
    AssignmentConnection,
  ),
);
