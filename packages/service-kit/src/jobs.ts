import type { Logger } from 'pino';

/**
 * Periodic work of a service (see ServiceDefinition.jobs). `run` gets the service's logger, with
 * the job's name bound, for the rare line a job has to say itself (giving up, say).
 */
export type ServiceJob = { name: string; everyMs: number; run(logger: Logger): Promise<unknown> };

/** Starts the jobs' timers; the returned function stops them and waits for runs in flight. */
export function startJobs(jobs: ServiceJob[], logger: Logger): () => Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    const jobLogger = logger.child({ job: job.name });
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      const run = job
        .run(jobLogger)
        .catch((err: unknown) => logger.error({ err, job: job.name }, 'job failed'))
        .finally(() => {
          running = false;
          inFlight.delete(run);
        });
      inFlight.add(run);
    }, job.everyMs);
  });
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(inFlight);
  };
}
