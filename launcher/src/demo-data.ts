import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from './env.js';
import { SERVICES } from './services.js';

/**
 * Bumped when the demo data gains facts an earlier data folder lacks and the README relies on
 * (2: 美唄市 became a partner and 佐藤 美咲's consent names it — issue 6; 3: matching's flow of
 * work — Knower(s)' people, the delegation, assignments, the cooperative's team order — issue 11).
 */
export const DEMO_DATA_VERSION = 3;

export type DemoDataOutcome = 'loaded' | 'updated' | 'already-loaded';

/**
 * Loads the demo data once per data folder, and once more when DEMO_DATA_VERSION grows. The
 * seeds are idempotent (upserts by id), but a marker keeps a developer's deletions deleted on
 * the next start; only a new demo version brings the demo rows back.
 */
export async function loadDemoDataOnce(options: {
  dataDir: string;
  urls: Record<ServiceName, string>;
}): Promise<DemoDataOutcome> {
  const marker = join(options.dataDir, 'demo-data-loaded');
  const loadedVersion = existsSync(marker) ? markerVersion(readFileSync(marker, 'utf8')) : 0;
  if (loadedVersion >= DEMO_DATA_VERSION) return 'already-loaded';
  for (const service of SERVICES) await service.seed({ databaseUrl: options.urls[service.name] });
  writeFileSync(marker, `version ${DEMO_DATA_VERSION}\n${new Date().toISOString()}\n`);
  return loadedVersion === 0 ? 'loaded' : 'updated';
}

/** The version a marker records; markers written before versions existed hold only a date. */
export function markerVersion(text: string): number {
  const match = /^version (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 1;
}
