import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from './env.js';
import { SERVICES } from './services.js';

/**
 * Loads the demo data once per data folder. The seeds are idempotent, but a marker keeps a
 * developer's deletions deleted on the next start.
 */
export async function loadDemoDataOnce(options: {
  dataDir: string;
  urls: Record<ServiceName, string>;
}): Promise<'loaded' | 'already-loaded'> {
  const marker = join(options.dataDir, 'demo-data-loaded');
  if (existsSync(marker)) return 'already-loaded';
  for (const service of SERVICES) await service.seed({ databaseUrl: options.urls[service.name] });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return 'loaded';
}
