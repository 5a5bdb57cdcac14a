import { requestGroupLoader } from '@hub/service-kit';
import { builder } from '../builder.js';
import { findUpcomingEventsAtSpaces } from '../domain/find-upcoming-events.js';
import { EventRef } from './event.js';

/** Spaces are owned by the spaces service; events only knows their id. */
const SpaceRef = builder.externalRef('Space', builder.selection<{ id: string }>('id'));

SpaceRef.implement({
  externalFields: (t) => ({ id: t.id() }),
  fields: (t) => ({
    // Nullable: when this subgraph is down the gateway still returns the parent entity.
    upcomingEvents: t.field({
      type: [EventRef],
      nullable: true,
      description:
        'この拠点で開催予定のイベント — 次回開催が早い順、繰り返しイベントは次回の日時で。拠点の運営組織の確認待ちの会場は含まない (published events at this space whose next occurrence is ahead, soonest first; not those whose venue here awaits the operator’s confirmation)',
      resolve: async (space, _args, context) => {
        const upcoming = await requestGroupLoader(context, 'upcomingEventsBySpace', {
          fetch: (spaceIds: readonly string[]) =>
            findUpcomingEventsAtSpaces(context.prisma, [...spaceIds]),
          groupOf: (found) => found.spaceIds,
        }).load(space.id);
        return upcoming.map((found) => found.event);
      },
    }),
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
