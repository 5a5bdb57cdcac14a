import { createSubgraphBuilder, type ServiceContext } from '@hub/service-kit';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { PrismaClient } from './generated/prisma/client.js';

export type MatchingContext = ServiceContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaTypes, MatchingContext>({
  dmmf: getDatamodel(),
  prismaOf: (context) => context.prisma,
});
