import { resolveGroupedConnection } from '@hub/service-kit';
import { builder } from '../builder.js';
import { findUpcomingEventsAtSpaces } from '../domain/find-upcoming-events.js';
import { EventConnection, EventRef } from './event.js';

/** Spaces are owned by the spaces service; events only knows their id. */
const SpaceRef = builder.externalRef('Space', builder.selection<{ id: string }>('id'));

SpaceRef.implement({
  externalFields: (t) => ({ id: t.id() }),
  fields: (t) => ({
    // Nullable: when this subgraph is down the gateway still returns the parent entity.
    // A connection, not a short list: weekly Jellys and recurring seminars keep a busy space's
    // calendar growing without end. Cut from the one batched query (soonest first, computed
    // from each series' next occurrence, which SQL cannot order by), so it pages in memory.
    upcomingEvents: t.connection(
      {
        type: EventRef,
        nullable: true,
        description:
          'この拠点で開催予定のイベント — 次回開催が早い順、繰り返しイベントは次回の日時で。拠点の運営組織の確認待ちの会場は含まない (published events at this space whose next occurrence is ahead, soonest first; not those whose venue here awaits the operator’s confirmation)',
        resolve: (space, args, context) =>
          resolveGroupedConnection(context, 'upcomingEventsBySpace', {
            parent: space.id,
            args,
            fetch: async (spaceIds) =>
              (await findUpcomingEventsAtSpaces(context.prisma, [...spaceIds])).map((found) => ({
                ...found.event,
                atSpaces: found.spaceIds,
              })),
            groupOf: (event) => event.atSpaces,
          }),
      },
      EventConnection,
    ),
  }),
});

builder.prismaObjectField('EventVenue', 'space', (t) =>
  t.field({
    type: SpaceRef,
    nullable: true,
    description: '会場の拠点 — 外部会場なら null (the space; null for an outside place)',
    resolve: (venue) => (venue.spaceId ? { id: venue.spaceId } : null),
  }),
);
