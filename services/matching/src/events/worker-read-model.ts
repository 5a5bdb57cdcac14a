import { PROFILE_VISIBILITIES, type TProfileVisibility } from '@hub/contracts';
import {
  type EventEnvelope,
  type EventOf,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { normalizeSkills } from '../domain/worker-skills.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';
import { lockMember } from './lock-member.js';

/**
 * The setting as matching stores it — Prisma's and the kit's spelling ('MEMBERS'), from the
 * event's vocabulary value ('members'); null when the event predates the announcement.
 */
function visibilityKey(value: TProfileVisibility | undefined): string | null {
  return value === undefined ? null : PROFILE_VISIBILITIES.keyOf(value);
}

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const WORKER_READ_MODEL_CONSUMER = 'matching-worker-read-model';
/** What it applies — its subscription and the read-model rebuild read the same list. */
export const WORKER_EVENT_TYPES = [
  'members.member.registered',
  'members.member.profile-updated',
] as const;

/**
 * Keeps the `worker` table in step with the members service. The bus has already validated
 * each event against the catalog (invalid ones go straight to dead_letter); the inbox row and
 * the upsert commit together, so a redelivered event has no second effect. Registration and
 * profile updates share one consumer so they reach the row in the order members wrote them.
 */
export function workerReadModelSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: WORKER_READ_MODEL_CONSUMER,
    types: [...WORKER_EVENT_TYPES],
    handle: applyMemberEvent,
  });
}

export async function applyMemberEvent(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (isEvent(event, 'members.member.registered')) return applyRegistered(event, tx);
  if (isEvent(event, 'members.member.profile-updated')) return applyProfileUpdated(event, tx);
  throw new Error(`${WORKER_READ_MODEL_CONSUMER} cannot handle '${event.type}'`);
}

// Both upserts skip erased members (a late or replayed event must not bring them back), and
// the occurredAt guard keeps an older event from overwriting what a newer one wrote — events
// can overtake each other around a retry, and replaying the stream must converge. The profile
// visibility is kept when an event lacks it (written before members announced it): an absent
// setting is unknown, not a change.

async function applyRegistered(
  event: EventOf<'members.member.registered'>,
  tx: SqlClient,
): Promise<void> {
  const { data } = event;
  await lockMember(tx, data.memberId);
  // The ranking index reloads this member before its next ranking (skills, hours, place).
  await noteRankingChange(tx, [data.memberId]);
  await tx.$executeRawUnsafe(
    `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills,
                         profile_visibility, registered_at, source_event_at, updated_at)
     SELECT $1::uuid, $2::text, $3::member_kind, $4::text, $5::jsonb, $7::text,
            $6::timestamptz, $6::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $1::uuid)
     ON CONFLICT (member_id) DO UPDATE
        SET display_name = EXCLUDED.display_name,
            kind = EXCLUDED.kind,
            municipality_code = EXCLUDED.municipality_code,
            skills = EXCLUDED.skills,
            profile_visibility = COALESCE(EXCLUDED.profile_visibility, worker.profile_visibility),
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE worker.source_event_at <= EXCLUDED.source_event_at`,
    data.memberId,
    data.displayName,
    data.kind,
    data.municipalityCode,
    JSON.stringify(normalizeSkills(data.skills)),
    event.occurredAt,
    visibilityKey(data.profileVisibility),
  );
  // registered_at is the earliest registration seen, whatever the order: a profile update that
  // overtook the registration created the row with its own time, and the registration, older,
  // still tells when the member registered.
  await tx.$executeRawUnsafe(
    `UPDATE worker SET registered_at = $2::timestamptz, updated_at = now()
      WHERE member_id = $1::uuid AND registered_at > $2::timestamptz`,
    data.memberId,
    event.occurredAt,
  );
}

async function applyProfileUpdated(
  event: EventOf<'members.member.profile-updated'>,
  tx: SqlClient,
): Promise<void> {
  const { data } = event;
  await lockMember(tx, data.memberId);
  // The ranking index reloads this member before its next ranking (skills, hours, place).
  await noteRankingChange(tx, [data.memberId]);
  // The event carries every fact, not only the changed ones, so the newest event is the whole
  // truth. A member not known yet (the registration is late, or was before this consumer's
  // stream retention) is added: registered_at is then this update's time, an upper bound
  // until the registration arrives.
  await tx.$executeRawUnsafe(
    `INSERT INTO worker (member_id, display_name, kind, municipality_code,
                         available_hours_per_week, skills, profile_visibility, registered_at,
                         source_event_at, updated_at)
     SELECT $1::uuid, $2::text, $3::member_kind, $4::text, $5::smallint, $6::jsonb, $8::text,
            $7::timestamptz, $7::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $1::uuid)
     ON CONFLICT (member_id) DO UPDATE
        SET display_name = EXCLUDED.display_name,
            kind = EXCLUDED.kind,
            municipality_code = EXCLUDED.municipality_code,
            available_hours_per_week = EXCLUDED.available_hours_per_week,
            skills = EXCLUDED.skills,
            profile_visibility = COALESCE(EXCLUDED.profile_visibility, worker.profile_visibility),
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE worker.source_event_at <= EXCLUDED.source_event_at`,
    data.memberId,
    data.displayName,
    data.kind,
    data.municipalityCode,
    data.availableHoursPerWeek,
    JSON.stringify(normalizeSkills(data.skills)),
    event.occurredAt,
    visibilityKey(data.profileVisibility),
  );
}
