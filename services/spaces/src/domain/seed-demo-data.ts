import { readFileSync } from 'node:fs';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createSpace } from './create-space.js';
import { recordPatrolVisit } from './record-patrol-visit.js';

type DemoData = {
  municipalities: { code: string; name: string; prefecture: string }[];
  spaces: ({ id: string; key?: string } & Record<string, unknown>)[];
  patrolVisits?: ({ id: string } & Record<string, unknown>)[];
};

/**
 * Loads the demo municipalities and spaces (seed/demo.json) through createSpace, so each
 * space is announced (space.registered, and space.opened when open) and other services learn
 * who operates it; then the patrol visits through recordPatrolVisit, so support-programs hears
 * of their requests. Rows that already exist are left alone.
 */
export async function loadDemoData(prisma: PrismaClient): Promise<{ created: number }> {
  const data = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as DemoData;
  let created = 0;
  for (const municipality of data.municipalities) {
    const result = await prisma.municipality.createMany({
      data: [municipality],
      skipDuplicates: true,
    });
    created += result.count;
  }
  for (const { key: _key, ...space } of data.spaces) {
    if (await prisma.space.findUnique({ where: { id: space.id }, select: { id: true } })) continue;
    await createSpace({ prisma }, space);
    created += 1;
  }
  for (const visit of data.patrolVisits ?? []) {
    if (await prisma.patrolVisit.findUnique({ where: { id: visit.id }, select: { id: true } })) {
      continue;
    }
    // Recorded by the hub, not by a member: demo data is official, its summaries in effect.
    await recordPatrolVisit({ prisma }, visit, { recordedBy: null, speaksFor: HUB_SPEAKS_FOR_ALL });
    created += 1;
  }
  return { created };
}
