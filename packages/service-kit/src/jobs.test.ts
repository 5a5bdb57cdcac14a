import { describe, expect, it, jest } from '@jest/globals';
import { startJobs } from './jobs.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logger = () =>
  ({ error: jest.fn(), child: () => ({}) }) as unknown as Parameters<typeof startJobs>[1];

describe('startJobs', () => {
  it('runs a job again and again, never two runs at once, and stop waits for the run in flight', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    let finished = 0;
    const stop = startJobs(
      [
        {
          name: 'slow',
          everyMs: 5,
          run: async () => {
            runs += 1;
            active += 1;
            most = Math.max(most, active);
            await sleep(20);
            active -= 1;
            finished += 1;
          },
        },
      ],
      logger(),
    );
    await sleep(120);
    await stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
    expect(finished).toBe(runs);
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });

  it('logs a failed run and runs again', async () => {
    const log = logger();
    let runs = 0;
    const stop = startJobs(
      [
        {
          name: 'failing',
          everyMs: 5,
          run: async () => {
            runs += 1;
            throw new Error('boom');
          },
        },
      ],
      log,
    );
    await sleep(60);
    await stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ job: 'failing' }),
      'job failed',
    );
  });
});
