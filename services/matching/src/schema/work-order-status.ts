import { ConflictError, defineMutation, InvalidInputError, NotFoundError } from '@hub/service-kit';
import { builder } from '../builder.js';
import { actorOf } from '../domain/work-orders/actor.js';
import {
  changeWorkOrderStatus,
  type WorkOrderStep,
} from '../domain/work-orders/change-work-order-status.js';
import { WorkOrderRef } from './work-order.js';

// The manual steps of an order's life (docs/matching.md, "Work orders"). Who may take a step is
// decided with the order under its lock (src/domain/work-orders/actor.ts); a refusal is
// FORBIDDEN in errors[], a step the status does not allow INVALID_TRANSITION.

const STEP_ERRORS = [InvalidInputError, NotFoundError, ConflictError] as const;

const STEP_MUTATIONS: Record<
  WorkOrderStep,
  { name: string; input: string; description: string; success: string }
> = {
  publish: {
    name: 'publishWorkOrder',
    input: 'PublishWorkOrderInput',
    description:
      '下書きの発注を公開して募集中にする — 発注元・受託組織のスタッフ、リーダー、ハブ管理者 (publish a DRAFT order: it becomes OPEN; staff of the client or receiving centre, its leader, hub admins)',
    success: '公開した発注 (the order, OPEN)',
  },
  markDelivered: {
    name: 'markWorkOrderDelivered',
    input: 'MarkWorkOrderDeliveredInput',
    description:
      '作業中の発注を納品済みにする — 打診中・承諾済み・作業中の割り当てが残っていれば OPEN_ASSIGNMENTS。受託組織のスタッフ、リーダー、ハブ管理者 (mark an IN_PROGRESS order DELIVERED; OPEN_ASSIGNMENTS while any assignment is offered, accepted or in progress; staff of the receiving centre, its leader, hub admins)',
    success: '納品済みの発注 (the order, DELIVERED)',
  },
  close: {
    name: 'closeWorkOrder',
    input: 'CloseWorkOrderInput',
    description:
      '納品済みの発注を完了にする — 発注元・受託組織のスタッフ、リーダー、ハブ管理者 (close a DELIVERED order; staff of the client or receiving centre, its leader, hub admins)',
    success: '完了した発注 (the order, CLOSED)',
  },
  cancel: {
    name: 'cancelWorkOrder',
    input: 'CancelWorkOrderInput',
    description:
      '発注を取り消す — 下書き・募集中・割り当て中・作業中のみ。発注元・受託組織のスタッフ、リーダー、ハブ管理者 (cancel an order that is DRAFT, OPEN, ASSIGNING or IN_PROGRESS; staff of the client or receiving centre, its leader, hub admins)',
    success: '取り消した発注 (the order, CANCELLED)',
  },
};

for (const [step, definition] of Object.entries(STEP_MUTATIONS) as [
  WorkOrderStep,
  (typeof STEP_MUTATIONS)[WorkOrderStep],
][]) {
  const input = builder.inputType(definition.input, {
    description: `${definition.name} の対象 (the order to ${step})`,
    fields: (t) => ({
      workOrderId: t.id({ required: true, description: '発注 ID (work order id)' }),
    }),
  });
  defineMutation(builder, definition.name, {
    description: definition.description,
    input: { type: input, description: '対象の発注 (the order)' },
    success: { field: 'workOrder', type: WorkOrderRef, description: definition.success },
    errors: STEP_ERRORS,
    authScopes: () => ({ member: true, admin: true }),
    resolve: (fields, context) => changeWorkOrderStatus(context, fields, step, actorOf(context)),
  });
}
