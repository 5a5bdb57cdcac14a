import { readFileSync } from 'node:fs';
import { commit } from '@hub/event-bus';
import { z } from 'zod';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SeedResult } from '../seed-demo-data.js';
import { helpRequestOpenedEvent } from './create-help-request.js';
import { helpRequestData, ZHelpRequestFields } from './help-request-fields.js';

const ZDemoHelpRequests = z.object({
  helpRequests: z
    .array(ZHelpRequestFields.and(z.object({ id: z.uuid(), askerId: z.uuid() })))
    .default([]),
});

/**
 * Loads the demo help requests of seed/demo.json: a new one is written with its opened event
 * (as createHelpRequest does), one already there gets the demo fields back, with no event.
 */
export async function seedHelpRequests(prisma: PrismaClient): Promise<SeedResult> {
  const file = new URL('../../../seed/demo.json', import.meta.url);
  const demo = ZDemoHelpRequests.parse(JSON.parse(readFileSync(file, 'utf8')));
  const result: SeedResult = { created: 0, updated: 0 };
  for (const { id, askerId, skills, ...fields } of demo.helpRequests) {
    await commit({ prisma }, async (tx, emit) => {
      // Several seeders at once (instances starting together) take turns.
      await tx.$queryRawUnsafe(
        'SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))',
        'matching:seed',
      );
      const data = helpRequestData(askerId, fields);
      if (await tx.helpRequest.findUnique({ where: { id } })) {
        await tx.helpRequest.update({ where: { id }, data });
        await tx.helpRequestSkill.deleteMany({ where: { helpRequestId: id } });
        await tx.helpRequestSkill.createMany({
          data: skills.map((skill) => ({ ...skill, helpRequestId: id })),
        });
        result.updated += 1;
      } else {
        const request = await tx.helpRequest.create({
          data: { id, ...data, skills: { createMany: { data: skills } } },
        });
        emit(helpRequestOpenedEvent(request, skills));
        result.created += 1;
      }
    });
  }
  return result;
}
