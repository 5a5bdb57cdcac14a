import { createSubgraphBuilder, type ServiceContext } from '@hub/service-kit';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { PrismaClient } from './generated/prisma/client.js';

export type MembersContext = ServiceContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaTypes, MembersContext>({
  dmmf: getDatamodel(),
  prismaOf: (context) => context.prisma,
});
