import { organizationRef, requestGroupLoader } from '@hub/service-kit';
import { builder } from '../builder.js';
import { SpaceRef } from './space.js';

/** Organizations are owned by the members service; spaces only knows their id. */
const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    spaces: t.field({
      type: [SpaceRef],
      nullable: true,
      description: 'この組織が運営する拠点 (spaces this organization operates)',
      resolve: (organization, _args, context) =>
        requestGroupLoader(context, 'spacesByOperator', {
          fetch: (operatorIds: readonly string[]) =>
            context.prisma.space.findMany({
              where: { operatorId: { in: [...operatorIds] } },
              orderBy: { name: 'asc' },
            }),
          groupOf: (space) => space.operatorId!,
        }).load(organization.id),
    }),
  }),
});

builder.prismaObjectField(SpaceRef, 'operator', (t) =>
  t.field({
    type: OrganizationRef,
    nullable: true,
    description: '運営組織 (operating organization)',
    resolve: (space) => (space.operatorId ? { id: space.operatorId } : null),
  }),
);
