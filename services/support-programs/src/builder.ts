import type { OutboxRelay } from '@hub/event-bus';
import { createSubgraphBuilder, type HubContext } from '@hub/service-kit';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { PrismaClient } from './generated/prisma/client.js';

export type SupportProgramsContext = HubContext & {
  prisma: PrismaClient;
  relay: OutboxRelay | null;
};

export const builder = createSubgraphBuilder<PrismaTypes, SupportProgramsContext>({
  dmmf: getDatamodel(),
  prismaOf: (context) => context.prisma,
});
