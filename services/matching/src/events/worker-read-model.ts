import {
  deadLetterTo,
  type EventEnvelope,
  idempotentHandler,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { normalizeSkills } from '../domain/worker-skills.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const WORKER_READ_MODEL_CONSUMER = 'matching-worker-read-model';

/**
 * Keeps the `worker` table in step with the members service. The bus has already validated
 * each event against the catalog (invalid ones go straight to dead_letter); the inbox row and
 * the upsert commit together, so a redelivered event has no second effect.
 */
export function workerReadModelSubscription(prisma: PrismaClient): Subscription {
  const consumer = WORKER_READ_MODEL_CONSUMER;
  return {
    consumer,
    types: ['members.member.registered'],
    handler: idempotentHandler({ db: prisma, consumer, handle: applyMemberEvent }),
    onDeadLetter: deadLetterTo(prisma, consumer),
  };
}

export async function applyMemberEvent(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.member.registered')) {
    throw new Error(`${WORKER_READ_MODEL_CONSUMER} cannot handle '${event.type}'`);
  }
  const { data } = event;
  // Upsert, so replaying the stream (a new consumer, a restored database) converges. The
  // occurredAt guard keeps an older event from overwriting what a newer one wrote.
  await tx.$executeRawUnsafe(
    `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills,
                         registered_at, source_event_at, updated_at)
     VALUES ($1::uuid, $2, $3::member_kind, $4, $5::jsonb, $6::timestamptz, $6::timestamptz, now())
     ON CONFLICT (member_id) DO UPDATE
        SET display_name = EXCLUDED.display_name,
            kind = EXCLUDED.kind,
            municipality_code = EXCLUDED.municipality_code,
            skills = EXCLUDED.skills,
            registered_at = EXCLUDED.registered_at,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE worker.source_event_at <= EXCLUDED.source_event_at`,
    data.memberId,
    data.displayName,
    data.kind,
    data.municipalityCode,
    JSON.stringify(normalizeSkills(data.skills)),
    event.occurredAt,
  );
}
