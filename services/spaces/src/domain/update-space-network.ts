import { type CommitContext, commit } from '@hub/event-bus';
import { parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceNetwork } from '../generated/prisma/client.js';
import { lockNetwork, networkChangedEvent } from './space-network-events.js';

const ZUpdateSpaceNetwork = z.object({
  networkId: z.uuid(),
  name: z.string().trim().min(1).max(200).optional(),
  nameEn: z.string().trim().max(200).nullish(),
  description: z.string().trim().max(5000).nullish(),
});

/**
 * Renames a network or changes its description; fields left out stay. Announced only when
 * something changed (a new name is part of what consumers keep).
 */
export async function updateSpaceNetwork(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceNetwork> {
  const { networkId, ...fields } = parseInput(ZUpdateSpaceNetwork, input);
  return commit(db, async (tx, emit) => {
    await lockNetwork(tx, networkId);
    const before = await tx.spaceNetwork.findUniqueOrThrow({ where: { id: networkId } });
    const after = await tx.spaceNetwork.update({
      where: { id: networkId },
      data: {
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.nameEn !== undefined ? { nameEn: fields.nameEn } : {}),
        ...(fields.description !== undefined ? { description: fields.description } : {}),
      },
    });
    const hasChanged = (['name', 'nameEn', 'description'] as const).some(
      (field) => before[field] !== after[field],
    );
    if (hasChanged) emit((await networkChangedEvent(tx, networkId)).event);
    return after;
  });
}
