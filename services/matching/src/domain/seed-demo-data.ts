import { readFileSync } from 'node:fs';
import { commit } from '@hub/event-bus';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { insertWorkOrder } from './post-work-order.js';
import { ZWorkOrderFields } from './work-order-fields.js';

const ZDemoData = z.object({
  workOrders: z.array(ZWorkOrderFields.and(z.object({ id: z.uuid() }))),
});

export type SeedResult = { created: number; updated: number };

/**
 * Loads seed/demo.json. New orders go through the same path as postWorkOrder (row + posted
 * event in one transaction), confirmed by the client and centre they name (the demo orders are
 * official); orders already there get the demo fields back, with no event.
 */
export async function seedWorkOrders(prisma: PrismaClient): Promise<SeedResult> {
  const file = new URL('../../seed/demo.json', import.meta.url);
  const demo = ZDemoData.parse(JSON.parse(readFileSync(file, 'utf8')));
  const result: SeedResult = { created: 0, updated: 0 };
  for (const { id, requiredSkills, ...fields } of demo.workOrders) {
    await commit({ prisma }, async (tx, emit) => {
      // Two seeders starting at once (several instances) take turns instead of racing to insert.
      await tx.$queryRawUnsafe(
        'SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))',
        'matching:seed',
      );
      const existing = await tx.workOrder.findUnique({ where: { id } });
      if (existing) {
        // Demo orders are official: whoever they name has agreed.
        const now = new Date();
        await tx.workOrder.update({
          where: { id },
          data: {
            ...fields,
            clientConfirmedAt: existing.clientConfirmedAt ?? now,
            receivingCentreConfirmedAt: fields.receivingCentreId
              ? (existing.receivingCentreConfirmedAt ?? now)
              : null,
          },
        });
        await tx.workOrderSkill.deleteMany({ where: { workOrderId: id } });
        await tx.workOrderSkill.createMany({
          data: requiredSkills.map((skill) => ({ ...skill, workOrderId: id })),
        });
        result.updated += 1;
      } else {
        await insertWorkOrder(
          tx,
          emit,
          { ...fields, requiredSkills },
          { id, speaksFor: HUB_SPEAKS_FOR_ALL },
        );
        result.created += 1;
      }
    });
  }
  return result;
}
