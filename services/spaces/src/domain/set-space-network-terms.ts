import { isDeepStrictEqual } from 'node:util';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceNetwork } from '../generated/prisma/client.js';
import { ZSiteTerms } from './create-space-network.js';
import { lockNetwork, networkChangedEvent } from './space-network-events.js';

const ZSetSpaceNetworkTerms = ZSiteTerms.extend({ networkId: z.uuid() });

/**
 * Adds a space to a network with its terms as a host, or replaces the terms of a space already
 * in it (terms left out take their defaults, as when the network was created). Redemptions
 * already made stay; later ones follow the new terms. Announced when the terms changed.
 */
export async function setSpaceNetworkTerms(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceNetwork> {
  const { networkId, spaceId, ...terms } = parseInput(ZSetSpaceNetworkTerms, input);
  return commit(db, async (tx, emit) => {
    await lockNetwork(tx, networkId);
    const space = await tx.space.findUnique({ where: { id: spaceId }, select: { id: true } });
    if (!space) {
      throw new AppError('NOT_FOUND', '拠点が見つかりません (no such space)', {
        field: 'spaceId',
      });
    }
    const key = { networkId_spaceId: { networkId, spaceId } };
    const before = await tx.spaceNetworkSite.findUnique({ where: key });
    const after = await tx.spaceNetworkSite.upsert({
      where: key,
      create: { networkId, spaceId, ...terms },
      update: terms,
    });
    const termsOf = (site: typeof after) => ({
      freeDaysPerMonth: site.freeDaysPerMonth,
      discountPercent: site.discountPercent,
      noticeDays: site.noticeDays,
      minimumPlan: site.minimumPlan,
    });
    if (!before || !isDeepStrictEqual(termsOf(before), termsOf(after))) {
      const { event, network } = await networkChangedEvent(tx, networkId);
      emit(event);
      return network;
    }
    return tx.spaceNetwork.findUniqueOrThrow({ where: { id: networkId } });
  });
}
