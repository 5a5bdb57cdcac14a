import { organizationRef, resolveGroupedConnection } from '@hub/service-kit';
import { builder } from '../builder.js';
import { SPACE_ORDER, SpaceConnection, SpaceRef } from './space.js';

/** Organizations are owned by the members service; spaces only knows their id. */
export const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: if this subgraph is down, the gateway can still return the organization.
    spaces: t.connection(
      {
        type: SpaceRef,
        nullable: true,
        description: 'この組織が運営する拠点 — 名称順 (spaces this organization operates, by name)',
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'spacesByOperator', {
            parent: organization.id,
            args,
            fetch: (operatorIds) =>
              context.prisma.space.findMany({
                where: { operatorId: { in: [...operatorIds] } },
                orderBy: SPACE_ORDER,
              }),
            groupOf: (space) => space.operatorId!,
          }),
      },
      SpaceConnection,
    ),
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
