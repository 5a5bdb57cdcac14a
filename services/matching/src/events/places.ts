import {
  type EventEnvelope,
  type EventOf,
  eventSubscription,
  isEvent,
  type Subscription,
} from '@hub/event-bus';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';
import { lockMember } from './lock-member.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const PLACES_CONSUMER = 'matching-places';

/** The spaces events the place read models are built from. */
export const PLACE_EVENT_TYPES = [
  'spaces.space.registered',
  'spaces.space.updated',
  'spaces.space-membership.started',
  'spaces.space-membership.ended',
  'spaces.space-network.changed',
  'spaces.satellite-lease.granted',
  'spaces.satellite-lease.ended',
] as const;

type Tx = Prisma.TransactionClient;

/**
 * Keeps matching's copies of the spaces service's facts — spaces, members' home spaces,
 * networks and satellite leases — for ranking's proximity and satellite-office access. One
 * consumer for all of them, so they reach the tables in the order spaces wrote them. Each event
 * carries the whole state of what it is about, so the newest one is the truth: an older event
 * (a retry, a replay) never overwrites a newer row (`source_event_at`), and the inbox makes a
 * redelivery a no-op. Every write notes the members whose ranking facts it changed.
 */
export function placesSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: PLACES_CONSUMER,
    types: [...PLACE_EVENT_TYPES],
    handle: applyPlaceEvent,
  });
}

export async function applyPlaceEvent(event: EventEnvelope, tx: Tx): Promise<void> {
  if (isEvent(event, 'spaces.space.registered') || isEvent(event, 'spaces.space.updated')) {
    return applySpace(event, tx);
  }
  if (isEvent(event, 'spaces.space-membership.started')) return applyMembership(event, tx, '<');
  if (isEvent(event, 'spaces.space-membership.ended')) return applyMembership(event, tx, '<=');
  if (isEvent(event, 'spaces.space-network.changed')) return applyNetwork(event, tx);
  if (isEvent(event, 'spaces.satellite-lease.granted')) return applyLease(event, tx, '<');
  if (isEvent(event, 'spaces.satellite-lease.ended')) return applyLease(event, tx, '<=');
  throw new Error(`${PLACES_CONSUMER} cannot handle '${event.type}'`);
}

/** Notes a ranking change for the members a query returns (column `member_id`). */
async function noteMembersOf(tx: Tx, query: string, ...values: unknown[]): Promise<void> {
  const rows = await tx.$queryRawUnsafe<{ member_id: string }[]>(query, ...values);
  await noteRankingChange(
    tx,
    rows.map((row) => row.member_id),
  );
}

// Whose ranking a space's facts touch: members homed there (proximity), and affiliates of
// organisations letting a satellite office there (its status decides access).
const MEMBERS_OF_SPACE = `
  SELECT member_id FROM home_space WHERE space_id = ANY($1::uuid[])
  UNION
  SELECT a.member_id FROM satellite_lease l
    JOIN worker_affiliation a ON a.organization_id = l.tenant_organization_id
   WHERE l.space_id = ANY($1::uuid[])`;

async function applySpace(
  event: EventOf<'spaces.space.registered'> | EventOf<'spaces.space.updated'>,
  tx: Tx,
): Promise<void> {
  const { data } = event;
  const written = await tx.$executeRawUnsafe(
    `INSERT INTO space (space_id, name, kind, status, municipality_code, operator_id, latitude,
                        longitude, source_event_at, updated_at)
     VALUES ($1::uuid, $2, $3, $4, $5, $6::uuid, $7::float8, $8::float8, $9::timestamptz, now())
     ON CONFLICT (space_id) DO UPDATE
        SET name = EXCLUDED.name,
            kind = EXCLUDED.kind,
            status = EXCLUDED.status,
            municipality_code = EXCLUDED.municipality_code,
            operator_id = EXCLUDED.operator_id,
            latitude = EXCLUDED.latitude,
            longitude = EXCLUDED.longitude,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE space.source_event_at <= EXCLUDED.source_event_at`,
    data.spaceId,
    data.name,
    data.kind,
    data.status,
    data.municipalityCode,
    data.operatorId,
    data.latitude,
    data.longitude,
    event.occurredAt,
  );
  if (written > 0) await noteMembersOf(tx, MEMBERS_OF_SPACE, [data.spaceId]);
}

/**
 * A membership started or ended. `ended` wins a tie with `started` (`<=`): the same
 * membership's end, written in the same millisecond, is the later fact.
 */
async function applyMembership(
  event: EventOf<'spaces.space-membership.started'> | EventOf<'spaces.space-membership.ended'>,
  tx: Tx,
  isNewer: '<' | '<=',
): Promise<void> {
  const { data } = event;
  // The erasure consumer takes the same lock: this insert cannot land after it deleted the
  // member's rows (the tombstone check below then sees the erasure).
  await lockMember(tx, data.memberId);
  const written = await tx.$executeRawUnsafe(
    `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
                             starts_on, ends_on, source_event_at, updated_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, $4, $5, $6::date, $7::date, $8::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $2::uuid)
     ON CONFLICT (membership_id) DO UPDATE
        SET member_id = EXCLUDED.member_id,
            space_id = EXCLUDED.space_id,
            municipality_code = EXCLUDED.municipality_code,
            plan = EXCLUDED.plan,
            starts_on = EXCLUDED.starts_on,
            ends_on = EXCLUDED.ends_on,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE home_space.source_event_at ${isNewer} EXCLUDED.source_event_at`,
    data.membershipId,
    data.memberId,
    data.spaceId,
    data.municipalityCode,
    data.plan,
    data.startsOn,
    data.endsOn,
    event.occurredAt,
  );
  if (written > 0) await noteRankingChange(tx, [data.memberId]);
}

/** A network's whole state: its row, and its sites replaced as a whole when the event is newer. */
async function applyNetwork(event: EventOf<'spaces.space-network.changed'>, tx: Tx): Promise<void> {
  const { data } = event;
  // The upsert locks the network's row, so two events about it apply one after the other.
  const written = await tx.$executeRawUnsafe(
    `INSERT INTO space_network (network_id, name, kind, source_event_at, updated_at)
     VALUES ($1::uuid, $2, $3, $4::timestamptz, now())
     ON CONFLICT (network_id) DO UPDATE
        SET name = EXCLUDED.name,
            kind = EXCLUDED.kind,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE space_network.source_event_at <= EXCLUDED.source_event_at`,
    data.networkId,
    data.name,
    data.kind,
    event.occurredAt,
  );
  if (written === 0) return;
  const before = await tx.$queryRawUnsafe<{ space_id: string }[]>(
    'DELETE FROM network_site WHERE network_id = $1::uuid RETURNING space_id::text',
    data.networkId,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO network_site (network_id, space_id, kind, minimum_plan)
     SELECT $1::uuid, site.space_id, $2, site.minimum_plan
       FROM unnest($3::uuid[], $4::text[]) AS site(space_id, minimum_plan)
     ON CONFLICT (network_id, space_id) DO NOTHING`,
    data.networkId,
    data.kind,
    data.sites.map((site) => site.spaceId),
    data.sites.map((site) => site.minimumPlan),
  );
  // Members homed at a space that joined or left (or stayed: the kind may have changed).
  const spaceIds = [
    ...new Set([...before.map((row) => row.space_id), ...data.sites.map((site) => site.spaceId)]),
  ];
  await noteMembersOf(
    tx,
    'SELECT member_id FROM home_space WHERE space_id = ANY($1::uuid[])',
    spaceIds,
  );
}

/** A lease granted or ended; `ended` wins a tie, as for memberships. */
async function applyLease(
  event: EventOf<'spaces.satellite-lease.granted'> | EventOf<'spaces.satellite-lease.ended'>,
  tx: Tx,
  isNewer: '<' | '<=',
): Promise<void> {
  const { data } = event;
  const written = await tx.$executeRawUnsafe(
    `INSERT INTO satellite_lease (lease_id, space_id, room_id, tenant_organization_id, starts_on,
                                  ends_on, source_event_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::date, $6::date, $7::timestamptz, now())
     ON CONFLICT (lease_id) DO UPDATE
        SET space_id = EXCLUDED.space_id,
            room_id = EXCLUDED.room_id,
            tenant_organization_id = EXCLUDED.tenant_organization_id,
            starts_on = EXCLUDED.starts_on,
            ends_on = EXCLUDED.ends_on,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE satellite_lease.source_event_at ${isNewer} EXCLUDED.source_event_at`,
    data.leaseId,
    data.spaceId,
    data.roomId,
    data.tenantOrganizationId,
    data.startsOn,
    data.endsOn,
    event.occurredAt,
  );
  // Who may work in the tenant's satellite office changed: its affiliates.
  if (written > 0) {
    await noteMembersOf(
      tx,
      'SELECT DISTINCT member_id FROM worker_affiliation WHERE organization_id = $1::uuid',
      data.tenantOrganizationId,
    );
  }
}
