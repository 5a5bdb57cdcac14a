import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Event, Prisma } from '../generated/prisma/client.js';

// A co-organiser named without its say waits in `pendingOrganizerIds` until its admin answers
// (docs/authorization.md, "Links that name another organisation"). Confirming moves it to
// `organizerIds` (public); declining removes the link, and the event stays published under
// its other organisers.

export const ZEventOrganizerAnswer = z.object({
  eventId: z.uuid('イベント ID は UUID です (eventId must be a UUID)'),
  organizationId: z.uuid('組織 ID は UUID です (organizationId must be a UUID)'),
});
export type TEventOrganizerAnswer = z.infer<typeof ZEventOrganizerAnswer>;

export function parseEventOrganizerAnswer(input: unknown): TEventOrganizerAnswer {
  return parseInput(ZEventOrganizerAnswer, input);
}

/**
 * The event, read under a row lock: two organisations answering at once would otherwise each
 * write back arrays missing the other's answer.
 */
export async function lockedEvent(tx: Prisma.TransactionClient, eventId: string): Promise<Event> {
  await tx.$queryRaw`SELECT 1 FROM event WHERE id = ${eventId}::uuid FOR UPDATE`;
  const event = await tx.event.findUnique({ where: { id: eventId } });
  if (!event) {
    throw new AppError('NOT_FOUND', 'イベントが見つかりません (event not found)', {
      field: 'eventId',
    });
  }
  return event;
}

export const notNamedAsOrganizer = () =>
  new AppError(
    'NOT_FOUND',
    'この組織はこのイベントの主催組織として挙げられていません (the organisation is not named as an organiser of this event)',
    { field: 'organizationId' },
  );
