import type { Logger, ServiceJob } from '@hub/service-kit';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { type DemoFlowResult, seedDemoFlow } from './seed-demo-flow.js';

const RUN_EVERY_MS = 5_000;
/**
 * Runs in a row without a step taken and with as many steps pending before the job gives up:
 * members' events reach matching within seconds of a start, so five minutes of nothing means
 * they never will — a data folder seeded by an older demo, whose people or affiliations differ
 * from today's demo file. Without a bound it would retry every 5 s for as long as it runs.
 */
export const DEMO_FLOW_MAX_IDLE_RUNS = 60;

export type DemoFlowJobOptions = {
  /** The replay (seedDemoFlow on the service's database); tests stand a scripted one in. */
  replay?: () => Promise<DemoFlowResult>;
  maxIdleRuns?: number;
};

/**
 * Finishes the demo's flow of work once members' events have told matching of the demo people:
 * the launcher seeds before any service consumes events, so offers to workers matching does not
 * know yet wait for this job. It stops after the first run with nothing pending (or nothing to
 * do: no demo orders), or, with one log line, after DEMO_FLOW_MAX_IDLE_RUNS runs in a row that
 * moved nothing on.
 */
export function demoFlowJob(prisma: PrismaClient, options: DemoFlowJobOptions = {}): ServiceJob {
  const replay = options.replay ?? (() => seedDemoFlow(prisma));
  const maxIdleRuns = options.maxIdleRuns ?? DEMO_FLOW_MAX_IDLE_RUNS;
  let isDone = false;
  let idleRuns = 0;
  let lastPending = Number.POSITIVE_INFINITY;
  return {
    name: 'demo-flow',
    everyMs: RUN_EVERY_MS,
    async run(logger: Logger) {
      if (isDone) return;
      const { steps, pending } = await replay();
      if (pending === 0) {
        isDone = true;
        return;
      }
      idleRuns = steps === 0 && pending >= lastPending ? idleRuns + 1 : 0;
      lastPending = pending;
      if (idleRuns < maxIdleRuns) return;
      isDone = true;
      logger.warn(
        { pending, runs: idleRuns },
        'demo flow given up: steps still wait for members’ facts that have not come (a data folder seeded by an older demo?)',
      );
    },
  };
}
