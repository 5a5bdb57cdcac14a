import { readFileSync } from 'node:fs';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import { z } from 'zod';
import type { Assignment, Prisma, PrismaClient, WorkOrder } from '../../generated/prisma/client.js';
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
  return isRegisteredWith(prisma, memberId, organizationId);
}

/** A step another replay (the seed, the job, another instance) took first. */
class AlreadyTaken extends Error {}

/**
 * The context a step's operation commits through: its transaction first takes the demo flow's
 * lock, then checks again that the step is still to be taken — so two replays at once (the seed
 * and the job, several instances) never both offer or delegate. One connection per step: the
 * embedded database of `npm start` serves one at a time.
 */
function guarded(
  prisma: PrismaClient,
  stillToDo: (tx: Prisma.TransactionClient) => Promise<boolean>,
): { prisma: PrismaClient } {
  const guard = {
    $transaction: (work: (tx: Prisma.TransactionClient) => Promise<unknown>, options?: object) =>
      prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext('matching:demo-flow'))`;
        if (!(await stillToDo(tx))) throw new AlreadyTaken();
        return work(tx);
      }, options),
  };
  return { prisma: guard as unknown as PrismaClient };
}

/** Takes a guarded step; null when another replay took it first. */
async function step<T>(take: () => Promise<T>): Promise<T | null> {
  try {
    return await take();
  } catch (error) {
    if (error instanceof AlreadyTaken) return null;
    throw error;
  }
}

/**
 * Replays the demo's flow of work (seed/demo.json `delegations`, `assignments`) through the
 * same operations the API uses — delegate, offer, accept, start, complete — so every event is
 * published as in real use. Idempotent: a delegation or assignment already there is not made
 * again, only moved on to the status the demo gives it. A step whose people matching does not
 * know yet (members' events not yet consumed: worker, hours, affiliation) waits: it is counted
 * as pending and taken by a later run (the demo-flow job).
 */
export async function seedDemoFlow(prisma: PrismaClient): Promise<DemoFlowResult> {
  const file = new URL('../../../seed/demo.json', import.meta.url);
  const demo = ZDemoFlow.parse(JSON.parse(readFileSync(file, 'utf8')));
  const result: DemoFlowResult = { steps: 0, pending: 0 };
  const delegated = new Map<string, WorkOrder>();
  /** Delegations of orders no longer there: their assignments have nothing to wait for. */
  const orphaned = new Set<string>();

  for (const delegation of demo.delegations) {
    const parent = await prisma.workOrder.findUnique({ where: { id: delegation.workOrderId } });
    if (!parent) {
      // The demo orders were removed: nothing to replay.
      orphaned.add(delegation.key);
      continue;
    }
    let child = await prisma.workOrder.findFirst({
      where: { parentId: parent.id, receivingCentreId: delegation.partnerOrganizationId },
    });
    if (!child) {
      if (
        !(await isRegisteredWith(
          prisma,
          delegation.leaderMemberId,
          delegation.partnerOrganizationId,
        ))
      ) {
        result.pending += 1;
        continue;
      }
      const where = {
        parentId: parent.id,
        receivingCentreId: delegation.partnerOrganizationId,
      };
      child = await step(() =>
        delegateWorkOrder(
          guarded(prisma, async (tx) => (await tx.workOrder.count({ where })) === 0),
          {
            workOrderId: parent.id,
            partnerOrganizationId: delegation.partnerOrganizationId,
            volume: delegation.volume,
            leaderMemberId: delegation.leaderMemberId,
            note: delegation.note,
          },
          actorFor(delegation.by, parent),
        ),
      );
      if (child) result.steps += 1;
      else child = await prisma.workOrder.findFirst({ where });
    }
    if (child) delegated.set(delegation.key, child);
  }

  for (const entry of demo.assignments) {
    const order = entry.delegation
      ? delegated.get(entry.delegation)
      : entry.workOrderId
        ? await prisma.workOrder.findUnique({ where: { id: entry.workOrderId } })
        : null;
    if (!order) {
      // A part not delegated yet waits; a part of an order that is gone never comes.
      if (entry.delegation && !orphaned.has(entry.delegation)) result.pending += 1;
      continue;
    }
    const mine = { workOrderId: order.id, memberId: entry.memberId, role: entry.role };
    let assignment: Assignment | null = await prisma.assignment.findFirst({ where: mine });
    if (!assignment) {
      if (!(await knowsWorkerOf(prisma, entry.memberId, order.receivingCentreId))) {
        result.pending += 1;
        continue;
      }
      assignment = await step(() =>
        offerAssignment(
          guarded(prisma, async (tx) => (await tx.assignment.count({ where: mine })) === 0),
          { ...mine, volume: entry.volume },
          actorFor(entry.by, order),
        ),
      );
      if (assignment) result.steps += 1;
      else assignment = await prisma.assignment.findFirst({ where: mine });
      if (!assignment) continue;
    }
    const target = STATUS_ORDER.indexOf(entry.status);
    const at = (a: Assignment) => STATUS_ORDER.indexOf(a.status as (typeof STATUS_ORDER)[number]);
    // A declined offer stays as it is (at < 0: the loop below does nothing).
    const worker = actorFor(entry.memberId);
    const input = { assignmentId: assignment.id };
    /** The assignment still in `status` when its step commits. */
    const still = (current: Assignment) =>
      guarded(
        prisma,
        async (tx) =>
          (await tx.assignment.count({ where: { id: current.id, status: current.status } })) === 1,
      );
    const moves = {
      OFFERED: (current: Assignment) => acceptAssignment(still(current), input, worker),
      ACCEPTED: (current: Assignment) => startAssignment(still(current), input, worker),
      IN_PROGRESS: (current: Assignment) =>
        completeAssignment(
          still(current),
          {
            ...input,
            deliveredVolume: entry.deliveredVolume ?? entry.volume,
            rating: entry.rating,
          },
          actorFor(entry.by, order),
        ),
    } as const;
    while (at(assignment) >= 0 && at(assignment) < target) {
      const current: Assignment = assignment;
      const move = moves[current.status as keyof typeof moves];
      const moved = await step(() => move(current));
      if (moved) result.steps += 1;
      const next = moved ?? (await prisma.assignment.findUnique({ where: { id: current.id } }));
      // Another replay moved it on, or it is gone (an erased member's): look no further.
      if (!next || next.status === current.status) break;
      assignment = next;
    }
  }
  return result;
}
