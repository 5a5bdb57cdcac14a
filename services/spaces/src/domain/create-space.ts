import { createEvent, writeOutbox } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient, Space } from '../generated/prisma/client.js';
import { parseSpaceFields, toDbDate, ZSpaceFields } from './space-input.js';

// Seeds pass fixed ids so other services can refer to demo spaces; clients never do.
const ZCreateSpace = ZSpaceFields.extend({ id: z.uuid().optional() });

/** Registers a space; an open space announces itself with `spaces.space.opened`. */
export async function createSpace(prisma: PrismaClient, input: unknown): Promise<Space> {
  const fields = parseSpaceFields(ZCreateSpace, input);
  return prisma.$transaction(async (tx) => {
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
    const space = await tx.space.create({
      data: { ...fields, openedOn: toDbDate(fields.openedOn) },
    });
    if (space.status === 'OPEN') {
      await writeOutbox(tx, [
        createEvent('spaces.space.opened', {
          source: 'spaces',
          subject: space.id,
          data: {
            spaceId: space.id,
            name: space.name,
            kind: kindForEvent(space.kind),
            municipalityCode: space.municipalityCode,
            operatorId: space.operatorId,
          },
        }),
      ]);
    }
    return space;
  });
}

export function kindForEvent(kind: Space['kind']) {
  return (
    {
      COWORKING: 'coworking',
      TELEWORK_CENTRE: 'telework-centre',
      SATELLITE_OFFICE: 'satellite-office',
    } as const
  )[kind];
}
