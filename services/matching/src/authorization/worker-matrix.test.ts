import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInProcessBus, type EventBus, type EventEnvelope } from '@hub/event-bus';
import { accessOf, type Identity } from '@hub/service-kit';
import { asAdmin, asMember, asPartner, type GraphQLResponse, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type GraphQLObjectType, getNullableType } from 'graphql';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  affiliationChanged,
  affiliationEnded,
  consentGranted,
  consentWithdrawn,
  japanDate,
  memberRegistered,
  profileUpdated,
} from '../../test/support/member-events.js';
import { schema } from '../schema/index.js';
import { renderWorkerMatrix } from './matrix-doc.js';
import {
  WORKER_FIELDS,
  WORKER_VIEWER_KINDS,
  WORKER_VIEWERS,
  type WorkerFieldName,
  type WorkerViewer,
  workerAuditName,
} from './rules.js';

// Walks the hub's rule (the kit's, as rules.ts names Worker's fields and viewers) against the
// running matching service, fed by members' events as in production: every Worker field, for
// every viewer — refused fields are null with the expected code, allowed ones carry the value,
// and a partner's read leaves exactly one audit event for the member. Then the derived values:
// the list and its filters must not reveal what reading would refuse.

/** How the test reads each field; a field missing here fails to compile. */
const SELECTION: Record<WorkerFieldName, string> = {
  id: 'id',
  memberId: 'memberId',
  member: 'member { id }',
  displayName: 'displayName',
  kind: 'kind',
  municipalityCode: 'municipalityCode',
  skills: 'skills { code level isVerified }',
  registeredAt: 'registeredAt',
  availableHoursPerWeek: 'availableHoursPerWeek',
  updatedAt: 'updatedAt',
};
const FIELDS = Object.keys(WORKER_FIELDS) as WorkerFieldName[];
const WORKER_QUERY = `query ($id: ID!) { worker(memberId: $id) { ${FIELDS.map((f) => SELECTION[f]).join(' ')} } }`;

const expected = (viewer: WorkerViewer, field: WorkerFieldName) =>
  accessOf(WORKER_VIEWER_KINDS[viewer], WORKER_FIELDS[field].group);

let bus: EventBus;
let hub: TestService;
const subjectId = randomUUID();
/** Has the subject's skill and municipality, and consented to nobody. */
const bystanderId = randomUUID();
const [current, former, unrelated] = [randomUUID(), randomUUID(), randomUUID()];
const [consenting, another, oldNotice] = [randomUUID(), randomUUID(), randomUUID()];
const personal = ['public:read', 'members:personal:read'] as const;
const key = (
  organizationId: string,
  purpose: NonNullable<Parameters<typeof asPartner>[0]>['purpose'],
) => asPartner({ organizationId, scopes: [...personal], purpose });
const staffOf = (organizationId: string) =>
  asMember(randomUUID(), { staffOf: [{ organizationId, role: 'coordinator' }] });

const identities: Record<WorkerViewer, Identity | null> = {
  anonymous: null,
  self: asMember(subjectId),
  otherMember: asMember(bystanderId),
  staffOfWorkersOrganization: staffOf(current),
  staffOfFormerOrganization: staffOf(former),
  staffOfUnrelatedOrganization: staffOf(unrelated),
  hubAdmin: asAdmin(),
  // Has the purpose the member consented to this partner for, but not the scope.
  partnerWithoutScope: asPartner({
    organizationId: consenting,
    scopes: ['public:read'],
    purpose: 'work-matching',
  }),
  partnerWithoutConsent: key(consenting, 'program-guidance'),
  partnerWithConsent: key(consenting, 'work-matching'),
  partnerAfterWithdrawal: key(consenting, 'municipal-relocation-support'),
  partnerWithConsentToAnotherPartner: key(another, 'work-matching'),
  partnerWithConsentUnderOldNotice: key(oldNotice, 'work-matching'),
  partnerWithoutPurpose: key(consenting, null),
};

async function publishAll(events: EventEnvelope[]) {
  for (const event of events) await bus.publish(event);
  await waitFor(
    async () =>
      (await countRows(hub.sql, 'inbox_event', 'event_id = ANY($1::uuid[])', [
        events.map((event) => event.id),
      ])) === events.length || undefined,
    { message: 'the members events handled', timeoutMs: 10_000 },
  );
}

beforeAll(async () => {
  bus = createInProcessBus({ logger: silentLogger });
  hub = await startTestService(bus);
  const formerStarted = affiliationChanged({ memberId: subjectId, organizationId: former });
  const subject = { memberId: subjectId, recipientOrganizationId: consenting };
  await publishAll([
    memberRegistered({ memberId: subjectId, displayName: '対象 花子' }),
    memberRegistered({ memberId: bystanderId, displayName: '通りがかり 次郎' }),
  ]);
  await publishAll([
    profileUpdated(subjectId, { availableHoursPerWeek: 20, municipalityCode: '012157' }),
    profileUpdated(bystanderId, { availableHoursPerWeek: 30, municipalityCode: '012157' }),
    affiliationChanged({ memberId: subjectId, organizationId: current }),
    formerStarted,
    consentGranted(subject, { purpose: 'work-matching' }),
    consentGranted(subject, { purpose: 'municipal-relocation-support' }),
    // Consented under a notice version that no longer counts (what is shared changed since).
    consentGranted(
      { memberId: subjectId, recipientOrganizationId: oldNotice },
      { noticeVersion: '2026-04' },
    ),
  ]);
  await publishAll([
    affiliationEnded(formerStarted, japanDate(-1)),
    consentWithdrawn(subject, { purpose: 'municipal-relocation-support' }),
  ]);
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

/** The audit events matching wrote for one response's request. */
async function auditEventsOf(response: GraphQLResponse<unknown>) {
  const result = await hub.sql.query<{ data: Record<string, unknown> }>(
    `SELECT payload->'data' AS data FROM outbox_event
      WHERE type = 'matching.partner-read.recorded' AND payload->'data'->>'requestId' = $1
      ORDER BY occurred_at, id`,
    [response.headers['x-request-id']],
  );
  return result.rows.map((row) => row.data);
}

describe('Worker, field by field (WORKER_FIELDS × WORKER_VIEWERS)', () => {
  let reference: Fields;

  beforeAll(async () => {
    const response = await hub.graphql<{ worker: Fields }>(
      WORKER_QUERY,
      { id: subjectId },
      identities.hubAdmin,
    );
    expect(response.errors).toBeUndefined();
    reference = response.data!.worker;
    // Every field has a value to leak.
    for (const field of FIELDS) expect(reference[field]).not.toBeNull();
  });

  it.each(Object.keys(WORKER_VIEWERS) as WorkerViewer[])(
    '%s: no leaks, values where allowed, one audit for a partner’s read',
    async (viewer) => {
      const response = await hub.graphql<{ worker: Fields }>(
        WORKER_QUERY,
        { id: subjectId },
        identities[viewer],
      );
      const worker = response.data?.worker;
      expect(worker).toBeTruthy();
      const problems: string[] = [];
      for (const field of FIELDS) {
        const outcome = expected(viewer, field);
        const code = errorCodeAt(response, ['worker', field]);
        if (outcome === 'ok' || outcome === 'ok+audit') {
          if (code !== undefined) problems.push(`${field}: refused (${code}), expected the value`);
          else if (JSON.stringify(worker![field]) !== JSON.stringify(reference[field]))
            problems.push(`${field}: ${JSON.stringify(worker![field])} ≠ reference`);
        } else {
          if (worker![field] !== null)
            problems.push(`${field}: LEAK ${JSON.stringify(worker![field])}`);
          if (code !== outcome)
            problems.push(`${field}: code ${String(code)}, expected ${outcome}`);
        }
      }
      expect(problems).toEqual([]);
      // Every error belongs to a refused field (nothing failed for another reason).
      expect(response.errors?.every((error) => error.path?.length === 2) ?? true).toBe(true);

      const audited = FIELDS.filter((field) => expected(viewer, field) === 'ok+audit')
        .map(workerAuditName)
        .sort();
      const events = await auditEventsOf(response);
      const identity = identities[viewer];
      if (audited.length === 0) {
        expect(events).toEqual([]);
      } else if (identity?.kind === 'partner') {
        expect(events).toEqual([
          {
            auditEntryId: expect.any(String),
            memberId: subjectId,
            apiKeyId: identity.keyId,
            organizationId: identity.organizationId,
            fields: audited,
            requestId: response.headers['x-request-id'],
            readAt: expect.any(String),
          },
        ]);
      } else {
        throw new Error(`${viewer} is audited but is not a partner`);
      }
    },
  );

  it('a partner reading a worker twice in one request (aliases) leaves one audit entry', async () => {
    const partner = identities.partnerWithConsent as Extract<Identity, { kind: 'partner' }>;
    const response = await hub.graphql(
      `query ($id: ID!) { a: worker(memberId: $id) { skills { code } }
                          b: worker(memberId: $id) { skills { code } availableHoursPerWeek } }`,
      { id: subjectId },
      partner,
    );
    expect(response.errors).toBeUndefined();
    const events = await auditEventsOf(response);
    expect(new Set(events.map((event) => event.auditEntryId)).size).toBe(1);
    expect(events.at(-1)!.fields).toEqual(['Worker.availableHoursPerWeek', 'Worker.skills']);
  });
});

describe('the list and its filters reveal no more than reading', () => {
  const LIST = `query ($filter: WorkerFilter) {
    workers(filter: $filter) { totalCount nodes { memberId } }
  }`;
  const list = (viewer: WorkerViewer, filter?: Record<string, string>) =>
    hub.graphql<{ workers: { totalCount: number; nodes: { memberId: string }[] } }>(
      LIST,
      { filter },
      identities[viewer],
    );

  /** The workers a viewer may list: those whose personal fields it reads (refusal: its code). */
  const LISTED: Partial<Record<WorkerViewer, string[] | string>> = {
    anonymous: 'UNAUTHENTICATED',
    otherMember: 'FORBIDDEN',
    self: 'FORBIDDEN',
    staffOfWorkersOrganization: [subjectId],
    staffOfFormerOrganization: [],
    staffOfUnrelatedOrganization: [],
    hubAdmin: [subjectId, bystanderId],
    partnerWithoutScope: 'FORBIDDEN',
    partnerWithoutConsent: [],
    partnerWithConsent: [subjectId],
    partnerAfterWithdrawal: [],
    partnerWithConsentToAnotherPartner: [],
    partnerWithConsentUnderOldNotice: [],
    partnerWithoutPurpose: 'CONSENT_REQUIRED',
  };

  it.each(Object.keys(WORKER_VIEWERS) as WorkerViewer[])(
    '%s: the list, and a filter on a personal field, match only readable workers',
    async (viewer) => {
      const expectedList = LISTED[viewer]!;
      const filters: (Record<string, string> | undefined)[] = [
        undefined,
        { skill: 'data-entry' },
        { municipalityCode: '012157' },
      ];
      for (const filter of filters) {
        const response = await list(viewer, filter);
        if (typeof expectedList === 'string') {
          expect(response.errors?.[0]?.extensions?.code).toBe(expectedList);
          expect(response.data).toBeNull();
        } else {
          expect(response.errors).toBeUndefined();
          expect(response.data!.workers.nodes.map((worker) => worker.memberId).sort()).toEqual(
            [...expectedList].sort(),
          );
          // totalCount counts only the workers the viewer may read, as the page does.
          expect(response.data!.workers.totalCount).toBe(expectedList.length);
        }
      }
    },
  );

  it('audits a partner’s filter for every worker it returns, even when no personal field is selected', async () => {
    const response = await list('partnerWithConsent', { skill: 'data-entry' });
    expect(response.data!.workers.nodes).toEqual([{ memberId: subjectId }]);
    const events = await auditEventsOf(response);
    expect(events).toEqual([
      expect.objectContaining({ memberId: subjectId, fields: ['Worker.skills'] }),
    ]);
    // The same list without a filter reveals nothing personal: no audit.
    expect(await auditEventsOf(await list('partnerWithConsent'))).toEqual([]);
  });

  it('stops listing the worker to the partner once matching learns of the withdrawal', async () => {
    const other = randomUUID();
    await publishAll([
      memberRegistered({ memberId: other, displayName: '撤回 予定' }),
      consentGranted({ memberId: other, recipientOrganizationId: consenting }),
    ]);
    const names = async () =>
      (await list('partnerWithConsent'))
        .data!.workers.nodes.map((worker) => worker.memberId)
        .sort();
    expect(await names()).toEqual([subjectId, other].sort());
    await publishAll([consentWithdrawn({ memberId: other, recipientOrganizationId: consenting })]);
    expect(await names()).toEqual([subjectId]);
    const response = await hub.graphql<{ worker: Fields }>(
      'query ($id: ID!) { worker(memberId: $id) { displayName skills { code } } }',
      { id: other },
      identities.partnerWithConsent,
    );
    expect(response.data!.worker).toEqual({ displayName: '撤回 予定', skills: null });
    expect(errorCodeAt(response, ['worker', 'skills'])).toBe('CONSENT_REQUIRED');
  });
});

describe('the rules, the schema and the document agree', () => {
  const workerType = schema.getType('Worker') as GraphQLObjectType;

  it('classifies every Worker field, and guarded fields are nullable', () => {
    const schemaFields = Object.keys(workerType.getFields());
    expect(schemaFields.filter((field) => !(field in WORKER_FIELDS))).toEqual([]);
    expect(FIELDS.filter((field) => !schemaFields.includes(field))).toEqual([]);
    const notNullable = FIELDS.filter(
      (field) =>
        WORKER_FIELDS[field].group !== 'public' &&
        getNullableType(workerType.getFields()[field]!.type) !==
          workerType.getFields()[field]!.type,
    );
    expect(notNullable).toEqual([]);
  });

  it('documents the generated matrix', () => {
    const document = readFileSync(
      new URL('../../../../docs/authorization.md', import.meta.url),
      'utf8',
    );
    expect(document).toContain(renderWorkerMatrix());
  });
});
