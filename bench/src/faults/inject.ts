import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { HARNESS_APPLICATION_NAME, type ServiceName } from './databases.js';
import type { HarnessNats } from './nats.js';
import { RESTART_DELAY_MS } from './process.js';
import type { ProcessStack } from './stack.js';

/** What a fault needs to reach: the processes, the broker, the experiment's databases. */
export type FaultContext = {
  stack: ProcessStack;
  nats: HarnessNats;
  postgresUrl: string;
  /** Database names of the services whose backends may be terminated. */
  databasesOf(services: readonly ServiceName[]): string[];
  random: () => number;
};

export type Experiment = {
  name: string;
  /** The least time the faults need; the experiment's load lasts at least this long. */
  minSpanMs: number;
  /**
   * Injects the faults over about `spanMs` from now and resolves when the last one has ended:
   * the killed process has been started again, the broker is back, the last backend ended.
   * Returns a line describing what was done.
   */
  inject(context: FaultContext, spanMs: number): Promise<string>;
};

const MIN_KILL_INTERVAL_MS = 3_000;

/**
 * `count` kill -9 of `service`, one in each equal slot of the span at a seeded moment in the
 * slot's first half; each time the process is started again after RESTART_DELAY_MS without
 * waiting for it to be ready, so a kill may land while it is still starting, as in production.
 */
function killRepeatedly(name: string, service: ServiceName, count: number): Experiment {
  return {
    name,
    minSpanMs: count * MIN_KILL_INTERVAL_MS,
    async inject({ stack, random }, spanMs) {
      const slotMs = spanMs / count;
      const started = Date.now();
      for (let kill = 0; kill < count; kill += 1) {
        const at = started + kill * slotMs + random() * (slotMs / 2);
        await sleep(Math.max(0, at - Date.now()));
        const process = stack.process(service);
        await process.kill();
        await sleep(RESTART_DELAY_MS);
        // The supervisor may have beaten us to it, had the process crashed by itself.
        if (!process.isRunning) process.start();
      }
      return `${count} × kill -9 of ${service} (restarted after ${RESTART_DELAY_MS} ms)`;
    },
  };
}

/** NATS stopped for `seconds`, then started again on the same port and store. */
function natsDown(seconds: number): Experiment {
  return {
    name: `nats-down-${seconds}`,
    minSpanMs: seconds * 1000,
    async inject({ nats }) {
      const stoppedAt = Date.now();
      await nats.stop();
      await sleep(Math.max(0, stoppedAt + seconds * 1000 - Date.now()));
      await nats.start();
      return `NATS down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s (SIGTERM, then started again)`;
    },
  };
}

const MIN_TERMINATION_SPAN_MS = 40_000;

/**
 * Every 1–3 s (seeded), the PostgreSQL backends of the given services are terminated: first
 * those inside a transaction (an interactive transaction between statements, or a statement of
 * one running — looked for during up to 1.5 s, as they come and go), then those idle outside
 * one. The harness's own connections are spared by their application_name; no other database
 * is touched.
 */
function terminateBackends(services: readonly ServiceName[]): Experiment {
  return {
    name: 'pg-terminate',
    minSpanMs: MIN_TERMINATION_SPAN_MS,
    async inject({ postgresUrl, databasesOf, random }, spanMs) {
      const databases = databasesOf(services);
      const admin = new pg.Client({
        connectionString: postgresUrl,
        application_name: HARNESS_APPLICATION_NAME,
      });
      await admin.connect();
      const ended = { inside: 0, outside: 0, rounds: 0, missed: 0 };
      try {
        const until = Date.now() + spanMs;
        while (Date.now() < until) {
          const inside = await terminateInsideTransactions(admin, databases);
          ended.inside += inside;
          if (inside === 0) ended.missed += 1;
          ended.outside += await terminate(admin, databases, OUTSIDE);
          ended.rounds += 1;
          const pause = 1_000 + random() * 2_000;
          if (Date.now() + pause >= until) break;
          await sleep(pause);
        }
      } finally {
        await admin.end();
      }
      return (
        `${ended.rounds} rounds of pg_terminate_backend on ${services.join(', ')}: ` +
        `${ended.inside} backends ended inside transactions, ${ended.outside} idle outside` +
        (ended.missed > 0 ? ` (${ended.missed} rounds found none in a transaction)` : '')
      );
    },
  };
}

const INSIDE = "(state = 'idle in transaction' OR (state = 'active' AND xact_start < query_start))";
const OUTSIDE = "state = 'idle'";

/** Backends in a transaction come and go: look for up to 1.5 s before giving up the round. */
async function terminateInsideTransactions(admin: pg.Client, databases: string[]): Promise<number> {
  const deadline = Date.now() + 1_500;
  for (;;) {
    const count = await terminate(admin, databases, INSIDE);
    if (count > 0 || Date.now() >= deadline) return count;
    await sleep(5);
  }
}

async function terminate(admin: pg.Client, databases: string[], state: string): Promise<number> {
  const { rows } = await admin.query<{ ended: number }>(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended
       FROM pg_stat_activity
      WHERE datname = ANY($1)
        AND backend_type = 'client backend'
        AND pid <> pg_backend_pid()
        AND coalesce(application_name, '') <> $2
        AND ${state}`,
    [databases, HARNESS_APPLICATION_NAME],
  );
  return rows[0]?.ended ?? 0;
}

/** Experiment names → definitions; `nats-down-<seconds>` works for any whole number. */
export function experimentNamed(name: string, pgServices: readonly ServiceName[]): Experiment {
  if (name === 'consumer-kill') return killRepeatedly(name, 'matching', 10);
  if (name === 'producer-kill') return killRepeatedly(name, 'members', 3);
  if (name === 'pg-terminate') return terminateBackends(pgServices);
  const nats = /^nats-down-(\d+)$/.exec(name);
  if (nats) return natsDown(Number(nats[1]));
  throw new Error(
    `unknown experiment '${name}': choose from consumer-kill, producer-kill, nats-down-<seconds>, pg-terminate`,
  );
}
