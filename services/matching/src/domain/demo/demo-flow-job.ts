import type { ServiceJob } from '@hub/service-kit';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { seedDemoFlow } from './seed-demo-flow.js';

/**
 * Finishes the demo's flow of work once members' events have told matching of the demo people:
 * the launcher seeds before any service consumes events, so offers to workers matching does not
 * know yet wait for this job. It stops trying after the first run with nothing pending (or
 * nothing to do: no demo orders).
 */
export function demoFlowJob(prisma: PrismaClient): ServiceJob {
  let done = false;
  return {
    name: 'demo-flow',
    everyMs: 5_000,
    async run() {
      if (done) return;
      const { pending } = await seedDemoFlow(prisma);
      done = pending === 0;
    },
  };
}
