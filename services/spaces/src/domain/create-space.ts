import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, Space } from '../generated/prisma/client.js';
import { eventsOfNewSpace } from './space-events.js';
import { parseSpaceFields, spaceData, ZSpaceFields } from './space-input.js';

// Seeds pass fixed ids so other services can refer to demo spaces; clients never do.
const ZCreateSpace = ZSpaceFields.extend({ id: z.uuid().optional() });

/**
 * Registers a space and announces it in the same transaction: `spaces.space.registered` for
 * every space (others keep who operates it), then `spaces.space.opened` when it is open.
 */
export async function createSpace(db: CommitContext<PrismaClient>, input: unknown): Promise<Space> {
  const fields = parseSpaceFields(ZCreateSpace, input);
  return commit(db, async (tx, emit) => {
    const municipality = await tx.municipality.findUnique({
      where: { code: fields.municipalityCode },
    });
    if (!municipality) {
      throw new AppError(
        'UNKNOWN_MUNICIPALITY',
        `市町村コード「${fields.municipalityCode}」は登録されていません (unknown municipality)`,
        { field: 'municipalityCode' },
      );
    }
    const space = await tx.space.create({ data: spaceData(fields) });
    for (const event of eventsOfNewSpace(space)) emit(event);
    return space;
  });
}
