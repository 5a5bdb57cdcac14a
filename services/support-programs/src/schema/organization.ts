import { organizationRef, resolveGroupedConnection } from '@hub/service-kit';
import { builder } from '../builder.js';
import { ProgramConnection, ProgramRef } from './program.js';

/** Organizations are owned by the members service; support-programs only knows their id. */
const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: when this subgraph is down the gateway still returns the parent entity.
    programs: t.connection(
      {
        type: ProgramRef,
        nullable: true,
        description: 'この組織が提供する支援メニュー — 名称順 (programs it provides, by title)',
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'programsByProvider', {
            parent: organization.id,
            args,
            fetch: (providerIds) =>
              context.prisma.program.findMany({
                where: { providerId: { in: [...providerIds] } },
                orderBy: [{ title: 'asc' }, { id: 'asc' }],
              }),
            groupOf: (program) => program.providerId,
          }),
      },
      ProgramConnection,
    ),
  }),
});

builder.prismaObjectField('Program', 'provider', (t) =>
  t.field({
    type: OrganizationRef,
    description: '提供組織 (providing organization)',
    resolve: (program) => ({ id: program.providerId }),
  }),
);
