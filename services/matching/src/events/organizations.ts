import { type EventEnvelope, eventSubscription, isEvent, type Subscription } from '@hub/event-bus';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/** Durable consumer name: also the inbox key, so it must never change once deployed. */
export const ORGANIZATIONS_CONSUMER = 'matching-organizations';
/** What it applies — its subscription and the read-model rebuild read the same list. */
export const ORGANIZATION_EVENT_TYPES = ['members.organization.created'] as const;

/**
 * Keeps `organization_place` — where each organisation is located — for the municipality
 * figures. An organisation is created once and members announces no move, so the first event
 * stands: a redelivery or a replay writes nothing (the inbox, and ON CONFLICT DO NOTHING).
 * Organisations are no personal data: erasure does not touch them.
 */
export function organizationsSubscription(prisma: PrismaClient): Subscription {
  return eventSubscription({
    db: prisma,
    consumer: ORGANIZATIONS_CONSUMER,
    types: [...ORGANIZATION_EVENT_TYPES],
    handle: applyOrganizationCreated,
  });
}

export async function applyOrganizationCreated(
  event: EventEnvelope,
  tx: Prisma.TransactionClient,
): Promise<void> {
  if (!isEvent(event, 'members.organization.created')) {
    throw new Error(`${ORGANIZATIONS_CONSUMER} cannot handle '${event.type}'`);
  }
  const { data } = event;
  await tx.$executeRaw`
    INSERT INTO organization_place (organization_id, municipality_code, source_event_at)
    VALUES (${data.organizationId}::uuid, ${data.municipalityCode}, ${event.occurredAt}::timestamptz)
    ON CONFLICT (organization_id) DO NOTHING`;
}
