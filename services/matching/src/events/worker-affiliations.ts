import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { upsertAffiliationCopy } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';
import { lockMember } from './lock-member.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const WORKER_AFFILIATIONS_CONSUMER = 'matching-worker-affiliations';
/** What it applies — its subscription and the read-model rebuild read the same list. */
export const AFFILIATION_EVENT_TYPES = ['members.affiliation.changed'] as const;

/**
 * Keeps `worker_affiliation` in step with the members service, so staff of an organisation a
 * worker is registered with may read the worker (docs/authorization.md). Members announces only
 * affiliations the member confirmed, so every row here counts. The inbox row and the upsert
 * commit together: a redelivered event has no second effect.
 */
export function workerAffiliationsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: WORKER_AFFILIATIONS_CONSUMER,
    types: [...AFFILIATION_EVENT_TYPES],
    handle: applyAffiliationChanged,
  });
}

export async function applyAffiliationChanged(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.affiliation.changed')) {
    throw new Error(`${WORKER_AFFILIATIONS_CONSUMER} cannot handle '${event.type}'`);
  }
  // The same lock as the service's erasure (see upsertAffiliationCopy).
  await lockMember(tx, event.data.memberId);
  // Where a worker is registered decides whose candidate lists they are in.
  await noteRankingChange(tx, [event.data.memberId]);
  await upsertAffiliationCopy(tx, 'worker_affiliation', event);
}
