import {
  type EventEnvelope,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const MEMBER_ERASURE_CONSUMER = 'spaces-member-erasure';

/**
 * Handles `members.member.erased` (APPI erasure). The inbox row commits in the handler's
 * transaction, so it records that spaces has dealt with the erasure even though there is
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
  // Spaces holds no personal data about members today: spaces, municipalities and operators
  // are places and organisations. Once spaces records bookings or check-ins, this is where
  // they are deleted (or anonymised where the space must keep usage figures), through `tx`,
  // keyed by event.data.memberId — and where domain/export-member-data.ts starts listing them.
}
