import { readFileSync } from 'node:fs';
import type { PrismaClient } from '../generated/prisma/client.js';
import { publishEvent } from './publish-event.js';

export type SeedResult = { created: number; skipped: number };

type DemoEvent = { id: string; key?: string } & Record<string, unknown>;

/**
 * Loads `seed/demo.json` idempotently: events whose id already exists are skipped, new ones go
 * through publishEvent — validated like client input, and each writes `events.event.published`
 * to the outbox so the hub feed sees the demo events once the relay runs.
 */
export async function loadDemoData(prisma: PrismaClient): Promise<SeedResult> {
  const { events } = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as { events: DemoEvent[] };
  const existing = new Set(
    (
      await prisma.event.findMany({
        where: { id: { in: events.map((event) => event.id) } },
        select: { id: true },
      })
    ).map((event) => event.id),
  );
  let created = 0;
  for (const { id, key: _key, ...input } of events) {
    if (existing.has(id)) continue;
    // The demo events are official: their organisers and venues count as confirmed.
    await publishEvent({ prisma }, input, { id, spokenFor: 'all' });
    created += 1;
  }
  return { created, skipped: events.length - created };
}
