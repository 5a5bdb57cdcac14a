import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import { upsertAffiliationCopy } from '@hub/service-kit';
import { lockMemberships } from '../domain/member-lock.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const MEMBER_AFFILIATIONS_CONSUMER = 'spaces-member-affiliations';

/**
 * Keeps `member_affiliation` in step with the members service, so a satellite office admits
 * its tenant's affiliates and a space its operator's staff (domain/can-enter.ts). Members
 * announces only confirmed affiliations. The inbox row and the upsert commit together.
 */
export function memberAffiliationsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: MEMBER_AFFILIATIONS_CONSUMER,
    types: ['members.affiliation.changed'],
    handle: applyAffiliationChanged,
  });
}

export async function applyAffiliationChanged(event: EventEnvelope, tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.affiliation.changed')) {
    throw new Error(`${MEMBER_AFFILIATIONS_CONSUMER} cannot handle '${event.type}'`);
  }
  // The same lock as the service's erasure (see upsertAffiliationCopy).
  await lockMemberships(tx, event.data.memberId);
  await upsertAffiliationCopy(tx, 'member_affiliation', event);
}
