import { randomUUID } from 'node:crypto';
import { todayInJapan } from '@hub/contracts';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember } from '@hub/testing';
import type pg from 'pg';
import type { TestService } from './matching-service.js';

// Work orders, workers and their registrations for the order, delegation and assignment tests.
// Workers and affiliations are written as the members-event consumers write them (their own
// tests feed them through the bus): these tests are about what is done with them.

export const ORDER_FIELDS = `id status volume volumeUnit parent { id } root { id }
  children { id } remainingVolume client { id } receivingCentre { id }`;

export const staffOf = (
  organizationId: string,
  role: 'admin' | 'staff' | 'coordinator' = 'coordinator',
): Identity => asMember(randomUUID(), { staffOf: [{ organizationId, role }] });

/**
 * A worker with stated hours a week (and skills, as worker.skills stores them; none unless
 * given), registered with each given organisation today.
 */
export async function seedWorker(
  sql: pg.Pool,
  options: {
    hoursPerWeek: number | null;
    organizationIds: readonly string[];
    memberId?: string;
    skills?: readonly { code: string; level: number; isVerified?: boolean }[];
  },
): Promise<string> {
  const memberId = options.memberId ?? randomUUID();
  await sql.query(
    `INSERT INTO worker (member_id, display_name, kind, municipality_code, available_hours_per_week,
       skills, registered_at, source_event_at)
     VALUES ($1, 'テスト ワーカー', 'teleworker', '202151', $2, $3::jsonb, now(), now())`,
    [memberId, options.hoursPerWeek, JSON.stringify(options.skills ?? [])],
  );
  for (const organizationId of options.organizationIds) {
    await registerWith(sql, memberId, organizationId);
  }
  return memberId;
}

/** An active affiliation of the member with the organisation, from today. */
export async function registerWith(
  sql: pg.Pool,
  memberId: string,
  organizationId: string,
  role = 'worker',
): Promise<void> {
  await sql.query(
    `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
       source_event_at)
     VALUES ($1, $2, $3, $4, $5::date, now())`,
    [randomUUID(), memberId, organizationId, role, todayInJapan()],
  );
}

/**
 * Ends the member's registrations with the organisation yesterday, as members' event for a
 * member who left it would: from a month ago to yesterday, not active today.
 */
export async function endRegistration(
  sql: pg.Pool,
  memberId: string,
  organizationId: string,
): Promise<void> {
  await sql.query(
    `UPDATE worker_affiliation
        SET starts_on = $3::date - 30, ends_on = $3::date - 1
      WHERE member_id = $1 AND organization_id = $2`,
    [memberId, organizationId, todayInJapan()],
  );
}

/** A satellite office the organisation leases from today, in an open space (spaces' events). */
export async function leaseSatelliteOffice(sql: pg.Pool, tenantOrganizationId: string) {
  const spaceId = randomUUID();
  await sql.query(
    `INSERT INTO space (space_id, name, kind, status, municipality_code, source_event_at)
     VALUES ($1, 'サテライトオフィス', 'satellite-office', 'open', '202151', now())`,
    [spaceId],
  );
  await sql.query(
    `INSERT INTO satellite_lease (lease_id, space_id, room_id, tenant_organization_id, starts_on,
       source_event_at)
     VALUES ($1, $2, $3, $4, $5::date, now())`,
    [randomUUID(), spaceId, randomUUID(), tenantOrganizationId, todayInJapan()],
  );
}

const POST = `mutation ($input: PostWorkOrderInput!) {
  postWorkOrder(input: $input) {
    __typename
    ... on PostWorkOrderSuccess { workOrder { id status } }
    ... on Error { code message field }
  }
}`;

/** Posts an order as a hub admin (confirmed at once) and answers its id. */
export async function postOrder(
  hub: TestService,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; clientId: string; centreId: string }> {
  const clientId = (overrides.clientId as string) ?? randomUUID();
  const centreId = (overrides.receivingCentreId as string) ?? randomUUID();
  const response = await hub.graphql<{
    postWorkOrder: { __typename: string; workOrder?: { id: string } };
  }>(
    POST,
    {
      input: {
        title: 'アンケート入力',
        category: 'DATA_ENTRY',
        clientId,
        receivingCentreId: centreId,
        volume: 100,
        volumeUnit: 'HOURS',
        payModel: 'HOURLY',
        rate: 1100,
        deadline: new Date(Date.now() + 14 * 24 * 3_600_000).toISOString(),
        ...overrides,
      },
    },
    asAdmin(),
  );
  const order = response.data?.postWorkOrder.workOrder;
  if (!order) throw new Error(`posting failed: ${JSON.stringify(response)}`);
  return { id: order.id, clientId, centreId };
}

/** Runs a mutation whose payload is `{ __typename, <field> | code }` and answers the payload. */
export async function mutate<T = Record<string, unknown>>(
  hub: TestService,
  name: string,
  input: Record<string, unknown>,
  identity: Identity | null,
  selection: string,
): Promise<{
  payload: T & {
    __typename: string;
    code?: string;
    message?: string;
    messageEn?: string;
    field?: string;
  };
  errors?: { extensions?: { code?: string } }[];
}> {
  const inputType = `${name.slice(0, 1).toUpperCase()}${name.slice(1)}Input`;
  const response = await hub.graphql<Record<string, T & { __typename: string }>>(
    `mutation ($input: ${inputType}!) {
      ${name}(input: $input) {
        __typename
        ... on ${inputType.replace(/Input$/, 'Success')} { ${selection} }
        ... on Error { code message messageEn field }
      }
    }`,
    { input },
    identity,
  );
  return {
    payload: response.data?.[name] as T & { __typename: string; code?: string },
    errors: response.errors as { extensions?: { code?: string } }[] | undefined,
  };
}
