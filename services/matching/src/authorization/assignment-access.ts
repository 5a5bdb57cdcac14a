import {
  type PersonalDataFacts,
  partnerReadAudit,
  personalDataGuard,
  requestLoader,
} from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import type { Assignment } from '../generated/prisma/client.js';
import { callerLeads } from './leader-access.js';
import { ASSIGNMENT_FIELDS, type AssignmentFieldName } from './rules.js';

// An assignment belongs to the organisation receiving its order: the kit's guard counts staff
// as "registered" for it only through that organisation (organizationsOf), and the assignment
// itself is the member's registration there — they were registered with it to be offered the
// work (src/domain/assignments/eligibility.ts). The leader of the order reads as its staff do,
// and like them only while registered with that organisation (leader-access.ts).

/** Receiving organisation and leader of each order: one query per request. */
function orderPartiesLoader(context: MatchingContext) {
  return requestLoader(context, 'assignmentOrderParties', {
    fetch: (ids: readonly string[]) =>
      context.prisma.workOrder.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, clientId: true, receivingCentreId: true, leaderMemberId: true },
      }),
    keyOf: (order) => order.id,
  });
}

async function receiverOf(context: MatchingContext, assignment: Assignment) {
  const order = await orderPartiesLoader(context).load(assignment.workOrderId);
  const receiver = order?.receivingCentreId ?? order?.clientId;
  return receiver ? [receiver] : [];
}

// No consent opens an assignment, so the guard never lets a partner read one to record.
const noPartnerReads = partnerReadAudit<MatchingContext>(async () => {
  throw new Error('matching lets no partner read assignments');
});

const rowRegistrationFacts: PersonalDataFacts<MatchingContext> = {
  registeredWith: async (_context, _memberId, rowOrganizations) => rowOrganizations,
  partnerStanding: async () => null,
  // No consent opens assignments: partners read counts only.
  hasConsent: async () => false,
};

const assignmentGuard = personalDataGuard<MatchingContext, Assignment, AssignmentFieldName>({
  fields: ASSIGNMENT_FIELDS,
  // An erased member's assignment is nobody's: only the staff and admins read it.
  subjectOf: (assignment) => ({ memberId: assignment.memberId ?? 'erased' }),
  organizationsOf: receiverOf,
  facts: rowRegistrationFacts,
  audit: noPartnerReads,
  auditName: (field) => `Assignment.${field}`,
});

/** Whether the caller leads the assignment's order today (still registered with its receiver). */
async function isLeaderFor(
  context: MatchingContext,
  assignment: Pick<Assignment, 'workOrderId'>,
): Promise<boolean> {
  if (context.identity?.kind !== 'member') return false;
  const order = await orderPartiesLoader(context).load(assignment.workOrderId);
  return order !== null && callerLeads(context, order);
}

/**
 * One Assignment field's guard: the kit's rule, and the order's leader as its staff. Guarded
 * fields are nullable: a refusal is null plus an error at the field.
 */
export function assignmentFieldAuth(field: AssignmentFieldName) {
  const guarded = assignmentGuard.fieldAuth(field);
  const check = guarded.authScopes;
  if (!check) return guarded;
  return {
    ...guarded,
    authScopes: async (assignment: Assignment, args: unknown, context: MatchingContext) =>
      (await isLeaderFor(context, assignment)) || check(assignment, args, context),
  };
}
