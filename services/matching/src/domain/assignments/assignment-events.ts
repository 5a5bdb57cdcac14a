import type { Emit } from '@hub/event-bus';
import type { Assignment } from '../../generated/prisma/client.js';

type AssignmentEventType =
  | 'matching.assignment.offered'
  | 'matching.assignment.accepted'
  | 'matching.assignment.declined'
  | 'matching.assignment.withdrawn';

/**
 * The common payload of the assignment events, about a member who exists: offers and answers
 * are made by or to them (an erased member's assignment has no member and is answered by no one).
 */
export function assignmentEventData(assignment: Assignment & { memberId: string }) {
  return {
    assignmentId: assignment.id,
    workOrderId: assignment.workOrderId,
    memberId: assignment.memberId,
    role: assignment.role.toLowerCase() as 'worker' | 'leader' | 'reviewer',
    allocatedVolume: assignment.allocatedVolume,
  };
}

export function emitAssignmentEvent(
  emit: Emit,
  type: AssignmentEventType,
  assignment: Assignment & { memberId: string },
) {
  emit(type, { subject: assignment.id, data: assignmentEventData(assignment) });
}
