import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Assignment, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { noteRankingChange } from '../../ranking/change-log.js';
import { lockedWorkOrder } from '../work-order-links.js';
import { type Actor, isDistributorOf } from '../work-orders/actor.js';
import { invalidTransition, moveWorkOrder } from '../work-orders/transitions.js';
import { assignmentEventData, emitAssignmentEvent } from './assignment-events.js';

export const ZAssignmentIdInput = z.object({
  assignmentId: z.uuid('割り当て ID は UUID です (assignmentId must be a UUID)'),
});

export const ZCompleteAssignmentInput = ZAssignmentIdInput.extend({
  deliveredVolume: z
    .int('納品量は整数です (deliveredVolume must be an integer)')
    .min(0, '納品量は0以上です (deliveredVolume must not be negative)'),
  rating: z
    .int('評価は整数です (rating must be an integer)')
    .min(1, '評価は1〜5です (rating must be 1..5)')
    .max(5, '評価は1〜5です (rating must be 1..5)')
    .nullish()
    .transform((value) => value ?? null),
});

const notFound = () =>
  new AppError('NOT_FOUND', '割り当てが見つかりません (assignment not found)', {
    field: 'assignmentId',
  });

/**
 * The assignment and its order, both locked: the order first (as offers lock it), so an answer
 * and an offer on the same order queue instead of deadlocking.
 */
async function lockedAssignment(tx: Prisma.TransactionClient, assignmentId: string) {
  const found = await tx.assignment.findUnique({
    where: { id: assignmentId },
    select: { workOrderId: true },
  });
  if (!found) throw notFound();
  const order = await lockedWorkOrder(tx, found.workOrderId);
  await tx.$queryRaw`SELECT 1 FROM assignment WHERE id = ${assignmentId}::uuid FOR UPDATE`;
  // The member's erasure deletes offers: it may have taken this one since it was first read.
  const assignment = await tx.assignment.findUnique({ where: { id: assignmentId } });
  if (!assignment) throw notFound();
  return { order, assignment };
}

/**
 * Only the member answers an offer; anyone else is told the assignment does not exist (an
 * erased member's has no member: nobody answers it).
 */
function requireMember(
  actor: Actor,
  assignment: Assignment,
): asserts assignment is Assignment & { memberId: string } {
  if (actor.memberId === null) throw actor.refusal();
  if (actor.memberId !== assignment.memberId) throw notFound();
}

/** The member of an assignment just updated by its member. */
function ofMember(assignment: Assignment, memberId: string) {
  return { ...assignment, memberId };
}

function alreadyAnswered(assignment: Assignment) {
  return new AppError(
    'ALREADY_ANSWERED',
    `この打診にはすでに回答済みです (${assignment.status}) (the offer was already answered: ${assignment.status})`,
    { field: 'assignmentId' },
  );
}

/**
 * The member accepts an offer. The first acceptance on an order moves it from ASSIGNING to
 * IN_PROGRESS. Announces `matching.assignment.accepted`.
 */
export async function acceptAssignment(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<Assignment> {
  const { assignmentId } = parseInput(ZAssignmentIdInput, input);
  return commit(db, async (tx, emit) => {
    const { order, assignment } = await lockedAssignment(tx, assignmentId);
    requireMember(actor, assignment);
    if (assignment.status !== 'OFFERED') throw alreadyAnswered(assignment);
    if (order.status === 'CANCELLED') {
      throw invalidTransition(order, { ja: '承諾', en: 'accept work on' });
    }
    const accepted = await tx.assignment.update({
      where: { id: assignmentId },
      data: { status: 'ACCEPTED', answeredAt: new Date() },
    });
    if (order.status === 'ASSIGNING') {
      await moveWorkOrder(tx, emit, order, 'IN_PROGRESS', {
        action: { ja: '承諾', en: 'accept work on' },
        byMemberId: actor.memberId,
      });
    }
    emitAssignmentEvent(
      emit,
      'matching.assignment.accepted',
      ofMember(accepted, assignment.memberId),
    );
    await noteRankingChange(tx, [assignment.memberId]);
    return accepted;
  });
}

/** The member declines an offer: its volume and hours are free again. */
export async function declineAssignment(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<Assignment> {
  const { assignmentId } = parseInput(ZAssignmentIdInput, input);
  return commit(db, async (tx, emit) => {
    const { assignment } = await lockedAssignment(tx, assignmentId);
    requireMember(actor, assignment);
    if (assignment.status !== 'OFFERED') throw alreadyAnswered(assignment);
    const declined = await tx.assignment.update({
      where: { id: assignmentId },
      data: { status: 'DECLINED', answeredAt: new Date() },
    });
    emitAssignmentEvent(
      emit,
      'matching.assignment.declined',
      ofMember(declined, assignment.memberId),
    );
    await noteRankingChange(tx, [assignment.memberId]);
    return declined;
  });
}

/** The member (or a distributor of the order) starts accepted work. */
export async function startAssignment(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<Assignment> {
  const { assignmentId } = parseInput(ZAssignmentIdInput, input);
  return commit(db, async (tx) => {
    const { order, assignment } = await lockedAssignment(tx, assignmentId);
    if (actor.memberId !== assignment.memberId && !(await isDistributorOf(tx, actor, order))) {
      throw actor.memberId === null ? actor.refusal() : notFound();
    }
    if (assignment.status !== 'ACCEPTED') throw assignmentTransition(assignment, '開始', 'start');
    return tx.assignment.update({
      where: { id: assignmentId },
      data: { status: 'IN_PROGRESS', startedAt: new Date() },
    });
  });
}

/**
 * A distributor of the order (the centre's staff, the delegating leader) records the work as
 * done, with the volume delivered and optionally a rating. Announces
 * `matching.assignment.completed`.
 */
export async function completeAssignment(
  db: CommitContext<PrismaClient>,
  input: unknown,
  actor: Actor,
): Promise<Assignment> {
  const fields = parseInput(ZCompleteAssignmentInput, input);
  return commit(db, async (tx, emit) => {
    const { order, assignment } = await lockedAssignment(tx, fields.assignmentId);
    if (!(await isDistributorOf(tx, actor, order))) throw actor.refusal();
    if (assignment.status !== 'IN_PROGRESS') {
      throw assignmentTransition(assignment, '完了', 'complete');
    }
    if (fields.deliveredVolume > assignment.allocatedVolume) {
      throw new AppError(
        'BAD_USER_INPUT',
        `納品量は割り当て量 (${assignment.allocatedVolume}) 以下です (deliveredVolume: at most the allocated ${assignment.allocatedVolume})`,
        { field: 'deliveredVolume' },
      );
    }
    const done = await tx.assignment.update({
      where: { id: fields.assignmentId },
      data: {
        status: 'DONE',
        completedAt: new Date(),
        deliveredVolume: fields.deliveredVolume,
        rating: assignment.memberId === null ? null : fields.rating,
        ratedBy: fields.rating === null || assignment.memberId === null ? null : actor.memberId,
      },
    });
    // An erased member's work may still be recorded as done; there is no one to announce it for.
    if (done.memberId !== null) {
      emit('matching.assignment.completed', {
        subject: done.id,
        data: {
          ...assignmentEventData(ofMember(done, done.memberId)),
          deliveredVolume: fields.deliveredVolume,
          rating: fields.rating,
        },
      });
      await noteRankingChange(tx, [done.memberId]);
    }
    return done;
  });
}

function assignmentTransition(assignment: Assignment, ja: string, en: string) {
  return new AppError(
    'INVALID_TRANSITION',
    `割り当ては${assignment.status}のため${ja}できません (cannot ${en} an assignment in status ${assignment.status})`,
    { field: 'assignmentId' },
  );
}
