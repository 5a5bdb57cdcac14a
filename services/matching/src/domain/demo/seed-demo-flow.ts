import { readFileSync } from 'node:fs';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import { z } from 'zod';
import type { Assignment, PrismaClient, WorkOrder } from '../../generated/prisma/client.js';
import {
  acceptAssignment,
  completeAssignment,
  startAssignment,
} from '../assignments/answer-assignment.js';
import { isRegisteredWith } from '../assignments/eligibility.js';
import { offerAssignment } from '../assignments/offer-assignment.js';
import { ASSIGNMENT_ROLES } from '../work-order-fields.js';
import type { Actor } from '../work-orders/actor.js';
import { delegateWorkOrder } from '../work-orders/delegate-work-order.js';

const ZDemoFlow = z.object({
  delegations: z
    .array(
      z.object({
        key: z.string(),
        workOrderId: z.uuid(),
        partnerOrganizationId: z.uuid(),
        volume: z.int().positive(),
        leaderMemberId: z.uuid(),
        note: z.string().nullish(),
        by: z.uuid(),
      }),
    )
    .default([]),
  assignments: z
    .array(
      z.object({
        key: z.string(),
        /** The order, or the part delegated by `delegation` (its key). */
        workOrderId: z.uuid().optional(),
        delegation: z.string().optional(),
        memberId: z.uuid(),
        role: z.enum(ASSIGNMENT_ROLES),
        volume: z.int().positive(),
        by: z.uuid(),
        status: z.enum(['OFFERED', 'ACCEPTED', 'IN_PROGRESS', 'DONE']),
        deliveredVolume: z.int().min(0).optional(),
        rating: z.int().min(1).max(5).optional(),
      }),
    )
    .default([]),
});

/** Steps taken on this run, and steps still waiting for members' facts (workers, affiliations). */
export type DemoFlowResult = { steps: number; pending: number };

const STATUS_ORDER = ['OFFERED', 'ACCEPTED', 'IN_PROGRESS', 'DONE'] as const;

/**
 * The demo acts in the name of the people it names: the centre's staff (or the delegation's
 * leader) who distribute, the worker who answers. The demo data is official, as the orders are.
 */
function actorFor(
  memberId: string,
  order?: Pick<WorkOrder, 'receivingCentreId' | 'leaderMemberId'>,
): Actor {
  const staffOf =
    order?.receivingCentreId && order.leaderMemberId !== memberId ? [order.receivingCentreId] : [];
  return {
    memberId,
    isAdmin: false,
    staffOf,
    speaksFor: HUB_SPEAKS_FOR_ALL,
    refusal: () => new Error(`demo step refused for ${memberId}`),
  };
}

/** Whether matching knows the member as a worker registered with the organisation (events). */
async function knowsWorkerOf(
  prisma: PrismaClient,
  memberId: string,
  organizationId: string | null,
): Promise<boolean> {
  const worker = await prisma.worker.findUnique({
    where: { memberId },
    select: { memberId: true, availableHoursPerWeek: true },
  });
  if (!worker?.availableHoursPerWeek || !organizationId) return false;
  return prisma.$transaction((tx) => isRegisteredWith(tx, memberId, organizationId));
}

/**
 * Replays the demo's flow of work (seed/demo.json `delegations`, `assignments`) through the
 * same operations the API uses — delegate, offer, accept, start, complete — so every event is
 * published as in real use. Idempotent: a delegation or assignment already there is not made
 * again, only moved on to the status the demo gives it. A step whose people matching does not
 * know yet (members' events not yet consumed: worker, hours, affiliation) waits: it is counted
 * as pending and taken by a later run (the demo-flow job).
 */
export async function seedDemoFlow(
  prisma: PrismaClient,
  options: { wait: boolean } = { wait: true },
): Promise<DemoFlowResult> {
  // One replay at a time (the seed and the job, several instances): the steps check, then act,
  // in separate transactions, so a lock held across them keeps two replays from offering twice.
  // The job does not wait: it tries again on its next run.
  return prisma.$transaction(
    async (tx) => {
      const rows = options.wait
        ? await tx.$queryRaw<{ locked: boolean }[]>`
            SELECT true AS locked FROM pg_advisory_xact_lock(hashtext('matching:demo-flow'))`
        : await tx.$queryRaw<{ locked: boolean }[]>`
            SELECT pg_try_advisory_xact_lock(hashtext('matching:demo-flow')) AS locked`;
      return rows[0]?.locked ? replayDemoFlow(prisma) : { steps: 0, pending: 1 };
    },
    { timeout: 120_000, maxWait: 120_000 },
  );
}

async function replayDemoFlow(prisma: PrismaClient): Promise<DemoFlowResult> {
  const file = new URL('../../../seed/demo.json', import.meta.url);
  const demo = ZDemoFlow.parse(JSON.parse(readFileSync(file, 'utf8')));
  const result: DemoFlowResult = { steps: 0, pending: 0 };
  const db = { prisma };
  const delegated = new Map<string, WorkOrder>();

  for (const delegation of demo.delegations) {
    const parent = await prisma.workOrder.findUnique({ where: { id: delegation.workOrderId } });
    if (!parent) continue; // The demo orders were removed: nothing to replay.
    let child = await prisma.workOrder.findFirst({
      where: { parentId: parent.id, receivingCentreId: delegation.partnerOrganizationId },
    });
    if (!child) {
      if (
        !(await isRegisteredLeader(
          prisma,
          delegation.leaderMemberId,
          delegation.partnerOrganizationId,
        ))
      ) {
        result.pending += 1;
        continue;
      }
      child = await delegateWorkOrder(
        db,
        {
          workOrderId: parent.id,
          partnerOrganizationId: delegation.partnerOrganizationId,
          volume: delegation.volume,
          leaderMemberId: delegation.leaderMemberId,
          note: delegation.note,
        },
        actorFor(delegation.by, parent),
      );
      result.steps += 1;
    }
    delegated.set(delegation.key, child);
  }

  for (const step of demo.assignments) {
    const order = step.delegation
      ? delegated.get(step.delegation)
      : step.workOrderId
        ? await prisma.workOrder.findUnique({ where: { id: step.workOrderId } })
        : null;
    if (!order) {
      if (step.delegation) result.pending += 1;
      continue;
    }
    let assignment: Assignment | null = await prisma.assignment.findFirst({
      where: { workOrderId: order.id, memberId: step.memberId, role: step.role },
    });
    if (!assignment) {
      if (!(await knowsWorkerOf(prisma, step.memberId, order.receivingCentreId))) {
        result.pending += 1;
        continue;
      }
      assignment = await offerAssignment(
        db,
        { workOrderId: order.id, memberId: step.memberId, role: step.role, volume: step.volume },
        actorFor(step.by, order),
      );
      result.steps += 1;
    }
    const target = STATUS_ORDER.indexOf(step.status);
    const at = (a: Assignment) => STATUS_ORDER.indexOf(a.status as (typeof STATUS_ORDER)[number]);
    // A declined offer (or an erased member's) stays as it is.
    if (at(assignment) < 0) continue;
    const worker = actorFor(step.memberId);
    const input = { assignmentId: assignment.id };
    if (at(assignment) < target && assignment.status === 'OFFERED') {
      assignment = await acceptAssignment(db, input, worker);
      result.steps += 1;
    }
    if (at(assignment) < target && assignment.status === 'ACCEPTED') {
      assignment = await startAssignment(db, input, worker);
      result.steps += 1;
    }
    if (at(assignment) < target && assignment.status === 'IN_PROGRESS') {
      assignment = await completeAssignment(
        db,
        { ...input, deliveredVolume: step.deliveredVolume ?? step.volume, rating: step.rating },
        actorFor(step.by, order),
      );
      result.steps += 1;
    }
  }
  return result;
}

async function isRegisteredLeader(
  prisma: PrismaClient,
  memberId: string,
  organizationId: string,
): Promise<boolean> {
  return prisma.$transaction((tx) => isRegisteredWith(tx, memberId, organizationId));
}
