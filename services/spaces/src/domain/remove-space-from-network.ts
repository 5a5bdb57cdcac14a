import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceNetwork } from '../generated/prisma/client.js';
import { lockNetwork, networkChangedEvent } from './space-network-events.js';

const ZRemoveSpaceFromNetwork = z.object({ networkId: z.uuid(), spaceId: z.uuid() });

/**
 * Takes a space out of a network: passes no longer admit anyone to it, and its members are no
 * longer eligible elsewhere (redeemPass checks both); redemptions already made stay. A network
 * keeps at least one space (CONFLICT): createSpaceNetwork requires one too.
 */
export async function removeSpaceFromNetwork(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceNetwork> {
  const { networkId, spaceId } = parseInput(ZRemoveSpaceFromNetwork, input);
  return commit(db, async (tx, emit) => {
    await lockNetwork(tx, networkId);
    const sites = await tx.spaceNetworkSite.findMany({
      where: { networkId },
      select: { spaceId: true },
    });
    if (!sites.some((site) => site.spaceId === spaceId)) {
      throw new AppError(
        'NOT_FOUND',
        'この拠点はネットワークに入っていません (the space is not in the network)',
        { field: 'spaceId' },
      );
    }
    if (sites.length === 1) {
      throw new AppError(
        'CONFLICT',
        'ネットワークの最後の拠点は外せません (the last space of a network cannot be removed)',
        { field: 'spaceId' },
      );
    }
    await tx.spaceNetworkSite.delete({ where: { networkId_spaceId: { networkId, spaceId } } });
    const { event, network } = await networkChangedEvent(tx, networkId);
    emit(event);
    return network;
  });
}
