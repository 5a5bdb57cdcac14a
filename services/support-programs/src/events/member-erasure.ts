import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const MEMBER_ERASURE_CONSUMER = 'support-programs-member-erasure';

/**
 * Handles `members.member.erased` (APPI erasure). The inbox row commits in the handler's
 * transaction, so it records that support-programs has dealt with the erasure even though there is
 * nothing to delete yet.
 */
export function memberErasureSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: MEMBER_ERASURE_CONSUMER,
    types: ['members.member.erased'],
    handle: applyMemberErasure,
  });
}

export async function applyMemberErasure(event: EventEnvelope, _tx: SqlClient): Promise<void> {
  if (!isEvent(event, 'members.member.erased')) {
    throw new Error(`${MEMBER_ERASURE_CONSUMER} cannot handle '${event.type}'`);
  }
  // Support-programs holds no personal data about members today: providers are organisations
  // and programs are offers. Once it takes applications or records consultations, this is
  // where they are deleted (or anonymised where a provider must keep award statistics), through
  // `tx`, keyed by event.data.memberId — and where domain/export-member-data.ts lists them.
}
