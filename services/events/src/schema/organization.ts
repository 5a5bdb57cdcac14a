import { requestGroupLoader } from '@hub/service-kit';
import { builder } from '../builder.js';
import { EventRef } from './event.js';

/** Organizations are owned by the members service; events only knows their id. */
const OrganizationRef = builder.externalRef(
  'Organization',
  builder.selection<{ id: string }>('id'),
);

OrganizationRef.implement({
  externalFields: (t) => ({ id: t.id() }),
  fields: (t) => ({
    // Nullable: when this subgraph is down the gateway still returns the parent entity.
    events: t.field({
      type: [EventRef],
      nullable: true,
      description:
        'この組織が主催するイベント — 新しい順、下書きを除く (events it organizes, newest first, drafts excluded)',
      resolve: (organization, _args, context) =>
        requestGroupLoader(context, 'eventsByOrganizer', {
          fetch: (organizerIds: readonly string[]) =>
            context.prisma.event.findMany({
              where: {
                organizerIds: { hasSome: [...organizerIds] },
                status: { not: 'DRAFT' },
              },
              orderBy: [{ startsAt: 'desc' }, { id: 'asc' }],
            }),
          groupOf: (event) => event.organizerIds,
        }).load(organization.id),
    }),
  }),
});

builder.prismaObjectField('Event', 'organizers', (t) =>
  t.field({
    type: [OrganizationRef],
    description: '主催組織 (organizing organizations)',
    resolve: (event) => event.organizerIds.map((id) => ({ id })),
  }),
);
