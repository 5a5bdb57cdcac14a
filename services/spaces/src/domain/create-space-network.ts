import { SPACE_MEMBERSHIP_PLANS } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, SpaceNetwork } from '../generated/prisma/client.js';
import { networkChangedEvent } from './space-network-events.js';

/** One space's terms as a host of the network's members. */
export const ZSiteTerms = z.object({
  spaceId: z.uuid(),
  freeDaysPerMonth: z.number().int().min(0).max(31),
  discountPercent: z.number().int().min(0).max(100).default(0),
  noticeDays: z.number().int().min(0).max(365).default(0),
  minimumPlan: SPACE_MEMBERSHIP_PLANS.keySchema.default('DROP_IN'),
});

const ZCreateSpaceNetwork = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).nullish(),
  kind: z.enum(['VISA', 'COMMON_TICKET', 'LINKED_SITES']),
  description: z.string().trim().max(5000).nullish(),
  sites: z
    .array(ZSiteTerms)
    .min(1)
    .max(200)
    .refine((sites) => new Set(sites.map((site) => site.spaceId)).size === sites.length, {
      message: '同じ拠点が重複しています (a space is listed twice)',
    }),
});

/** Creates a network with each member space's terms, announced as `spaces.space-network.changed`. */
export async function createSpaceNetwork(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<SpaceNetwork> {
  const { sites, ...fields } = parseInput(ZCreateSpaceNetwork, input);
  return commit(db, async (tx, emit) => {
    const known = await tx.space.findMany({
      where: { id: { in: sites.map((site) => site.spaceId) } },
      select: { id: true },
    });
    const knownIds = new Set(known.map((space) => space.id));
    const missing = sites.findIndex((site) => !knownIds.has(site.spaceId));
    if (missing >= 0) {
      throw new AppError('NOT_FOUND', '拠点が見つかりません (no such space)', {
        field: `sites.${missing}.spaceId`,
      });
    }
    const network = await tx.spaceNetwork.create({
      data: { ...fields, sites: { create: sites } },
    });
    emit((await networkChangedEvent(tx, network.id)).event);
    return network;
  });
}
