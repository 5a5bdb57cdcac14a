import { SPACE_MEMBERSHIP_PLANS, SPACE_NETWORK_KINDS } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { Prisma, SpaceNetwork } from '../generated/prisma/client.js';

/**
 * Locks a network's row for the rest of the transaction, so changes to one network (and their
 * events, each the network's full state) are written one after the other: the newest event is
 * always the state stored. NOT_FOUND (field `networkId`) when there is none.
 */
export async function lockNetwork(tx: Prisma.TransactionClient, networkId: string): Promise<void> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM space_network WHERE id = ${networkId}::uuid FOR UPDATE`;
  if (rows.length === 0) {
    throw new AppError('NOT_FOUND', 'ネットワークが見つかりません (no such space network)', {
      field: 'networkId',
    });
  }
}

/**
 * `spaces.space-network.changed` with the network as the transaction now sees it, and the
 * network's row read for it (without its sites), for a mutation to answer with.
 */
export async function networkChangedEvent(
  tx: Prisma.TransactionClient,
  networkId: string,
): Promise<{ event: EventDraft<'spaces.space-network.changed'>; network: SpaceNetwork }> {
  const { sites, ...network } = await tx.spaceNetwork.findUniqueOrThrow({
    where: { id: networkId },
    include: { sites: { orderBy: [{ createdAt: 'asc' }, { spaceId: 'asc' }] } },
  });
  const event: EventDraft<'spaces.space-network.changed'> = {
    type: 'spaces.space-network.changed',
    subject: network.id,
    data: {
      networkId: network.id,
      name: network.name,
      kind: SPACE_NETWORK_KINDS.valueOf(network.kind),
      sites: sites.map((site) => ({
        spaceId: site.spaceId,
        freeDaysPerMonth: site.freeDaysPerMonth,
        discountPercent: site.discountPercent,
        noticeDays: site.noticeDays,
        minimumPlan: SPACE_MEMBERSHIP_PLANS.valueOf(site.minimumPlan),
      })),
    },
  };
  return { event, network };
}
