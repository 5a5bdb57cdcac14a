import { readFileSync } from 'node:fs';
import type { PrismaClient } from '../generated/prisma/client.js';
import { publishProgram } from './publish-program.js';

export type SeedResult = { created: number; skipped: number };

type DemoProgram = { id: string; key?: string } & Record<string, unknown>;

/**
 * Loads `seed/demo.json` idempotently: programs whose id already exists are skipped, new ones
 * go through publishProgram — validated like client input, and each writes
 * `support-programs.program.published` to the outbox so the hub feed sees the demo menu.
 */
export async function loadDemoData(prisma: PrismaClient): Promise<SeedResult> {
  const { programs } = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as { programs: DemoProgram[] };
  const existing = await prisma.program.findMany({
    where: { id: { in: programs.map((program) => program.id) } },
    select: { id: true },
  });
  const existingIds = new Set(existing.map((program) => program.id));
  let created = 0;
  for (const { id, key: _key, ...input } of programs) {
    if (existingIds.has(id)) continue;
    await publishProgram({ prisma }, input, { id });
    created += 1;
  }
  return { created, skipped: programs.length - created };
}
