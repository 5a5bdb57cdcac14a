import { createLogger, type Logger } from '@hub/service-kit';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrationsDir } from '../../../test/support/matching-service.js';
import { connectDatabase, type Database } from '../../db.js';
import { demoFlowJob } from './demo-flow-job.js';
import type { DemoFlowResult } from './seed-demo-flow.js';
import { seedDemoFlow } from './seed-demo-flow.js';

// The demo-flow job must stop on a data folder where the flow can never complete, instead of
// replaying every 5 s for as long as the service runs.

/** A logger keeping its warnings (the job's one line), silent otherwise. */
function recordingLogger(): { logger: Logger; warnings: unknown[][] } {
  const logger = createLogger({ name: 'demo-flow-test', level: 'silent' });
  const warnings: unknown[][] = [];
  logger.warn = ((...args: unknown[]) => {
    warnings.push(args);
  }) as Logger['warn'];
  return { logger, warnings };
}

/** A replay answering the scripted results in turn, then the last one forever. */
function scripted(results: DemoFlowResult[]): {
  replay: () => Promise<DemoFlowResult>;
  calls: () => number;
} {
  let calls = 0;
  return {
    replay: async () => results[Math.min(calls++, results.length - 1)]!,
    calls: () => calls,
  };
}

describe('the demo-flow job', () => {
  it('gives up with one log line after a bounded number of runs that moved nothing on', async () => {
    const { replay, calls } = scripted([{ steps: 0, pending: 2 }]);
    const job = demoFlowJob(null as never, { replay, maxIdleRuns: 3 });
    const { logger, warnings } = recordingLogger();
    for (let run = 0; run < 10; run += 1) await job.run(logger);
    // The first run sets the mark; three more without progress, then it stops.
    expect(calls()).toBe(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toMatchObject({ pending: 2, runs: 3 });
  });

  it('keeps trying while steps are taken or fewer wait, and stops once nothing is pending', async () => {
    const { replay, calls } = scripted([
      { steps: 0, pending: 3 },
      { steps: 0, pending: 3 },
      { steps: 0, pending: 3 },
      { steps: 1, pending: 3 },
      { steps: 0, pending: 3 },
      { steps: 0, pending: 3 },
      { steps: 0, pending: 2 },
      { steps: 0, pending: 2 },
      { steps: 0, pending: 2 },
      { steps: 2, pending: 0 },
    ]);
    const job = demoFlowJob(null as never, { replay, maxIdleRuns: 3 });
    const { logger, warnings } = recordingLogger();
    for (let run = 0; run < 15; run += 1) await job.run(logger);
    expect(calls()).toBe(10);
    expect(warnings).toHaveLength(0);
  });

  describe('on a database without the demo orders (real Postgres)', () => {
    let database: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      database = await createTestDatabase({ migrationsDir, prefix: 'matching_test' });
      db = connectDatabase({ url: database.url, poolMax: 2 });
    });

    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('counts nothing pending for the parts of orders that are not there, so the job stops at once', async () => {
      expect(await seedDemoFlow(db.prisma)).toEqual({ steps: 0, pending: 0 });
      const { logger, warnings } = recordingLogger();
      let runs = 0;
      const job = demoFlowJob(db.prisma, {
        replay: () => {
          runs += 1;
          return seedDemoFlow(db.prisma);
        },
      });
      await job.run(logger);
      await job.run(logger);
      expect(runs).toBe(1);
      expect(warnings).toHaveLength(0);
    });
  });
});
