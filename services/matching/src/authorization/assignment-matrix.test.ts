import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInProcessBus, type EventBus } from '@hub/event-bus';
import { accessOf, type Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, type GraphQLResponse } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  endRegistration,
  mutate,
  postOrder,
  seedWorker,
  staffOf,
} from '../../test/support/work-orders.js';
import { renderAssignmentMatrix } from './matrix-doc.js';
import {
  ASSIGNMENT_FIELDS,
  ASSIGNMENT_VIEWER_KINDS,
  ASSIGNMENT_VIEWERS,
  type AssignmentFieldName,
  type AssignmentViewer,
} from './rules.js';

// Walks matching's table for Assignment (rules.ts) against the running service: one assignment
// on a delegated order (client → centre → partner with its leader → worker), every field for
// every viewer — refused fields are null with the expected code, allowed ones carry the value.
// The former leader reads a second part of the same root, delegated, distributed and completed
// the same way, whose leader's registration with the partner then ended.

/** How the test reads each field; a field missing here fails to compile. */
const SELECTION: Record<AssignmentFieldName, string> = {
  id: 'id',
  memberId: 'memberId',
  member: 'member { id }',
  workOrder: 'workOrder { id }',
  role: 'role',
  status: 'status',
  allocatedVolume: 'allocatedVolume',
  deliveredVolume: 'deliveredVolume',
  rating: 'rating',
  offeredAt: 'offeredAt',
  answeredAt: 'answeredAt',
  startedAt: 'startedAt',
  completedAt: 'completedAt',
};
const FIELDS = Object.keys(ASSIGNMENT_FIELDS) as AssignmentFieldName[];
const QUERY = `query ($id: ID!) { assignment(id: $id) { ${FIELDS.map((f) => SELECTION[f]).join(' ')} } }`;

const expected = (viewer: AssignmentViewer, field: AssignmentFieldName) =>
  accessOf(ASSIGNMENT_VIEWER_KINDS[viewer], ASSIGNMENT_FIELDS[field].group);

let bus: EventBus;
let hub: TestService;
let assignmentId: string;
let formerLeadersAssignmentId: string;
let identities: Record<AssignmentViewer, Identity | null>;

beforeAll(async () => {
  bus = createInProcessBus({ logger: silentLogger });
  hub = await startTestService(bus);
  const root = await postOrder(hub, { volume: 50 });
  const partner = randomUUID();
  const worker = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
  /** A part led by `leader`, its one assignment accepted, started, completed with a rating. */
  const distributedPart = async (leader: string) => {
    const child = await mutate<{ workOrder: { id: string } }>(
      hub,
      'delegateWorkOrder',
      { workOrderId: root.id, partnerOrganizationId: partner, volume: 20, leaderMemberId: leader },
      asAdmin(),
      'workOrder { id }',
    );
    const offered = await mutate<{ assignment: { id: string } }>(
      hub,
      'offerAssignment',
      { workOrderId: child.payload.workOrder.id, memberId: worker, role: 'WORKER', volume: 8 },
      asMember(leader),
      'assignment { id }',
    );
    const id = offered.payload.assignment.id;
    // Every field gets a value.
    const assignmentId = { assignmentId: id };
    await mutate(hub, 'acceptAssignment', assignmentId, asMember(worker), 'assignment { id }');
    await mutate(hub, 'startAssignment', assignmentId, asMember(worker), 'assignment { id }');
    await mutate(
      hub,
      'completeAssignment',
      { ...assignmentId, deliveredVolume: 8, rating: 4 },
      asMember(leader),
      'assignment { id }',
    );
    return id;
  };
  const leader = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
  const formerLeader = await seedWorker(hub.sql, { hoursPerWeek: 40, organizationIds: [partner] });
  assignmentId = await distributedPart(leader);
  formerLeadersAssignmentId = await distributedPart(formerLeader);
  await endRegistration(hub.sql, formerLeader, partner);
  identities = {
    self: asMember(worker),
    receivingCentreStaff: staffOf(partner),
    delegatingLeader: asMember(leader),
    formerLeader: asMember(formerLeader),
    hubAdmin: asAdmin(),
    clientStaff: staffOf(root.clientId),
    parentCentreStaff: staffOf(root.centreId),
    otherMember: asMember(randomUUID()),
    anonymous: null,
    partnerKey: asPartner({
      organizationId: partner,
      scopes: ['public:read', 'members:personal:read'],
      purpose: 'work-matching',
    }),
  };
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await bus?.close();
});

type Fields = Record<string, unknown>;

function errorCodeAt(response: GraphQLResponse<unknown>, path: readonly (string | number)[]) {
  return response.errors?.find((error) => JSON.stringify(error.path) === JSON.stringify(path))
    ?.extensions?.code;
}

describe('Assignment, field by field (ASSIGNMENT_FIELDS × ASSIGNMENT_VIEWERS)', () => {
  const references = new Map<string, Fields>();
  const assignmentFor = (viewer: AssignmentViewer) =>
    viewer === 'formerLeader' ? formerLeadersAssignmentId : assignmentId;

  beforeAll(async () => {
    for (const id of [assignmentId, formerLeadersAssignmentId]) {
      const response = await hub.graphql<{ assignment: Fields }>(
        QUERY,
        { id },
        identities.hubAdmin,
      );
      expect(response.errors).toBeUndefined();
      const reference = response.data!.assignment;
      for (const field of FIELDS) expect(reference[field]).not.toBeNull();
      references.set(id, reference);
    }
  });

  it.each(Object.keys(ASSIGNMENT_VIEWERS) as AssignmentViewer[])(
    '%s: no leaks, values where allowed',
    async (viewer) => {
      const response = await hub.graphql<{ assignment: Fields }>(
        QUERY,
        { id: assignmentFor(viewer) },
        identities[viewer],
      );
      const reference = references.get(assignmentFor(viewer))!;
      const assignment = response.data?.assignment;
      expect(assignment).toBeTruthy();
      const problems: string[] = [];
      for (const field of FIELDS) {
        const outcome = expected(viewer, field);
        const code = errorCodeAt(response, ['assignment', field]);
        if (outcome === 'ok' || outcome === 'ok+audit') {
          if (code !== undefined) problems.push(`${field}: refused (${code}), expected the value`);
          else if (JSON.stringify(assignment![field]) !== JSON.stringify(reference[field]))
            problems.push(`${field}: ${JSON.stringify(assignment![field])} ≠ reference`);
        } else {
          if (assignment![field] !== null)
            problems.push(`${field}: LEAK ${JSON.stringify(assignment![field])}`);
          if (code !== outcome)
            problems.push(`${field}: code ${String(code)}, expected ${outcome}`);
        }
      }
      expect(problems).toEqual([]);
      expect(response.errors?.every((error) => error.path?.length === 2) ?? true).toBe(true);
    },
  );

  it('documents the generated matrix', () => {
    const document = readFileSync(
      new URL('../../../../docs/authorization.md', import.meta.url),
      'utf8',
    );
    expect(document).toContain(renderAssignmentMatrix());
  });
});
