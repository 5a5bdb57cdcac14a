import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDatabase, migrateDeploy } from '@hub/dev-infra';
import { commit, connectNatsBus, OutboxRelay } from '@hub/event-bus';
import pg from 'pg';
import { pino } from 'pino';
import { type ConsumerReport, EVENT_TYPE, wallClockMs } from './events/consumer-messages.js';
import { dueBy, type EventRunFigures, eventRunFigures, quantile } from './events/figures.js';
import { PgDatabase } from './events/pg-database.js';
import { startHarnessNats } from './faults/nats.js';
import { treeUsage } from './gateways/process-stats.js';

const RATE = Number(process.env.EVENTS_RATE ?? 500);
const DURATION_S = Number(process.env.EVENTS_DURATION_S ?? 60);
// After the last commit the bench waits while effects keep arriving; events still without an
// effect once none has arrived for this long count as lost (a consumer behind the rate is slow,
// not losing events).
const SETTLE_S = Number(process.env.EVENTS_SETTLE_S ?? 30);
const POSTGRES_URL =
  process.env.EVENTS_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
// Commits in flight at most: a producer that cannot keep the rate falls behind (the achieved
// rate says so) rather than queueing without bound.
const MAX_IN_FLIGHT = 64;
const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * `npm run bench events`: domain events at a fixed rate through the real outbox path — a domain
 * row and its event committed in one transaction (`commit` of @hub/event-bus, as services do),
 * the outbox relay publishing to NATS JetStream, an idempotent consumer (`eventSubscription`:
 * inbox row and effect in one transaction) — and the time from each commit to its effect.
 */
export async function runEvents(): Promise<void> {
  const run = `hub_bench_events_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-events-'));
  const created: string[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  try {
    // The producer's database is a spaces database, the consumer's an events one: each has the
    // outbox, inbox and dead-letter tables its service's migrations create.
    const producerUrl = await migratedDatabase(`${run}_producer`, 'spaces', created);
    const consumerUrl = await migratedDatabase(`${run}_consumer`, 'events', created);
    // A nats-server of the run's own: the machine's NATS is shared with the other engineers.
    const nats = await startHarnessNats(dir);
    closers.push(() => nats.stop());
    const logger = pino({ name: 'bench-events', level: 'warn' });
    const namespace = run.replaceAll('_', '-');
    const producerPool = pool(producerUrl, 10);
    closers.push(() => producerPool.end());
    await producerPool.query(
      'CREATE TABLE bench_space_change (space_id uuid PRIMARY KEY, changed_at timestamptz NOT NULL DEFAULT now())',
    );
    const consumerPool = pool(consumerUrl, 1);
    closers.push(() => consumerPool.end());
    await consumerPool.query(
      'CREATE TABLE bench_event_effect (id bigserial PRIMARY KEY, subject uuid NOT NULL, event_id uuid NOT NULL)',
    );
    const producerDb = new PgDatabase(producerPool);
    const producerBus = await connectNatsBus({
      url: nats.url,
      name: 'bench-producer',
      streams: ['spaces'],
      namespace,
      logger,
    });
    closers.push(() => producerBus.close());
    const relay = new OutboxRelay({ db: producerDb, bus: producerBus, logger });
    relay.start();
    closers.push(() => relay.stop());

    const effects = new Map<string, number>();
    const deliveries = new Map<string, number>();
    let handlerMs = 0;
    let transactions = 0;
    const consumer = await startConsumer(
      { NATS_URL: nats.url, HUB_NATS_NAMESPACE: namespace, DATABASE_URL: consumerUrl },
      (report) => {
        if (report.kind !== 'effects') return;
        handlerMs += report.handlerMs;
        transactions += report.transactions;
        for (const [subject, at] of report.effects)
          if (!effects.has(subject)) effects.set(subject, at);
        for (const subject of report.deliveries) {
          deliveries.set(subject, (deliveries.get(subject) ?? 0) + 1);
        }
      },
    );
    closers.push(() => stopConsumer(consumer));

    console.log(
      `\nEvent rate — ${RATE}/s for ${DURATION_S}s through outbox → relay → NATS JetStream → idempotent consumer`,
    );
    const commits = new Map<string, number>();
    const cpuAtStart = process.cpuUsage();
    const consumerCpuAtStart = treeUsage(consumer.pid!).cpuMs;
    const { windowMs, failures } = await publishAtRate({ prisma: producerDb, relay }, commits);
    let seen = effects.size;
    let settleBy = performance.now() + SETTLE_S * 1000;
    while (effects.size < commits.size && performance.now() < settleBy) {
      await sleep(50);
      if (effects.size > seen) {
        seen = effects.size;
        settleBy = performance.now() + SETTLE_S * 1000;
      }
    }
    const cpu = process.cpuUsage(cpuAtStart);
    const consumerCpuMs = treeUsage(consumer.pid!).cpuMs - consumerCpuAtStart;

    const rows = await consumerPool.query<{ subject: string; count: string }>(
      'SELECT subject::text, count(*) FROM bench_event_effect GROUP BY subject',
    );
    const figures = eventRunFigures({
      commits,
      effects,
      deliveries,
      effectRows: new Map(rows.rows.map((row) => [row.subject, Number(row.count)])),
      publishWindowMs: windowMs,
    });
    // Where the time goes: from the producer's transaction to the relay's claim of the row
    // (sent_at is now() of the relay's batch transaction, which then publishes the batch one
    // event at a time); both from the producer's database clock.
    const relayed = await producerPool.query<{ ms: number }>(
      `SELECT extract(epoch FROM sent_at - created_at) * 1000 AS ms FROM outbox_event
       WHERE type = $1 AND sent_at IS NOT NULL ORDER BY 1`,
      [EVENT_TYPE],
    );
    const relayMs = relayed.rows.map((row) => Number(row.ms));
    const totalDeliveries = [...deliveries.values()].reduce((a, b) => a + b, 0);
    const perEvent = (cpuMs: number) => cpuMs / Math.max(1, figures.committed);
    printFigures(figures, failures, {
      relayP50: quantile(relayMs, 0.5),
      relayP99: quantile(relayMs, 0.99),
      producerCpuMsPerEvent: perEvent((cpu.user + cpu.system) / 1000),
      consumerCpuMsPerEvent: perEvent(consumerCpuMs),
      handlerMsPerEvent: handlerMs / Math.max(1, totalDeliveries),
      eventsPerTransaction: totalDeliveries / Math.max(1, transactions),
    });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await dropDatabases(created);
    rmSync(dir, { recursive: true, force: true });
  }
}

function pool(connectionString: string, max: number): pg.Pool {
  const created = new pg.Pool({ connectionString, max });
  created.on('error', () => {});
  return created;
}

async function migratedDatabase(name: string, service: string, created: string[]) {
  const url = await ensureDatabase(POSTGRES_URL, name);
  created.push(name);
  await migrateDeploy({ serviceDir: join(ROOT, 'services', service), databaseUrl: url });
  return url;
}

async function dropDatabases(names: string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    // Only the databases this run created (its random name): never anyone else's.
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The consumer process (events/consumer-main.ts); resolves once it is subscribed. */
function startConsumer(
  env: Record<string, string>,
  onReport: (report: ConsumerReport) => void,
): Promise<ChildProcess> {
  const child = fork(new URL('./events/consumer-main.js', import.meta.url).pathname, [], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (report: ConsumerReport) => {
      if (report.kind === 'ready') resolve(child);
      else onReport(report);
    });
    child.once('exit', (code) => reject(new Error(`the bench consumer exited (${code})`)));
  });
}

/** Asks the consumer to stop its subscription and report its last effects; waits for its exit. */
async function stopConsumer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Open loop at RATE per second for DURATION_S: each event one transaction writing a domain row
 * and the event (`spaces.space.updated`, its subject a fresh space id), the relay woken after
 * the commit exactly as in a service. Records each commit's time by subject.
 */
async function publishAtRate(
  context: { prisma: PgDatabase; relay: OutboxRelay },
  commits: Map<string, number>,
): Promise<{ windowMs: number; failures: number }> {
  const total = Math.floor(RATE * DURATION_S);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let failures = 0;
  let lastCommit = 0;
  const started = performance.now();
  const publishOne = async () => {
    const spaceId = randomUUID();
    try {
      await commit(context, async (tx, emit) => {
        await tx.$executeRawUnsafe(
          'INSERT INTO bench_space_change (space_id) VALUES ($1::uuid)',
          spaceId,
        );
        emit(EVENT_TYPE, {
          subject: spaceId,
          data: {
            spaceId,
            name: 'ベンチの拠点',
            kind: 'coworking',
            status: 'open',
            municipalityCode: '011002',
            operatorId: null,
            latitude: null,
            longitude: null,
            changed: ['name'],
          },
        });
      });
      lastCommit = performance.now();
      commits.set(spaceId, wallClockMs());
    } catch {
      failures += 1;
    }
  };
  while (sent < total) {
    const due = dueBy(performance.now() - started, RATE, DURATION_S);
    while (sent < due && inFlight.size < MAX_IN_FLIGHT) {
      const pending = publishOne().finally(() => inFlight.delete(pending));
      inFlight.add(pending);
      sent += 1;
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  return { windowMs: lastCommit - started, failures };
}

type Breakdown = {
  relayP50: number;
  relayP99: number;
  producerCpuMsPerEvent: number;
  consumerCpuMsPerEvent: number;
  /** Consumer transaction time (inbox included) per event delivered: the consumer's pace. */
  handlerMsPerEvent: number;
  /** Events delivered per consumer transaction: > 1 when waiting events commit together. */
  eventsPerTransaction: number;
};

function printFigures(figures: EventRunFigures, failures: number, breakdown: Breakdown): void {
  const ms = (value: number) => value.toFixed(1);
  console.log(
    '| rate asked | duration | committed | achieved /s | p50 ms | p95 ms | p99 ms | max ms | lost | redeliveries | duplicate effects | failed commits |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${RATE}/s | ${DURATION_S} s | ${figures.committed} | ${figures.achievedRate.toFixed(0)} | ${ms(figures.p50)} | ${ms(figures.p95)} | ${ms(figures.p99)} | ${ms(figures.max)} | ${figures.lost} | ${figures.redeliveries} | ${figures.duplicateEffects} | ${failures} |`,
  );
  console.log(
    `of which transaction start → claimed by the relay: p50 ${ms(breakdown.relayP50)} ms, p99 ${ms(breakdown.relayP99)} ms; CPU per event: producer + relay process ${breakdown.producerCpuMsPerEvent.toFixed(2)} ms, consumer process ${breakdown.consumerCpuMsPerEvent.toFixed(2)} ms; consumer transactions ${breakdown.handlerMsPerEvent.toFixed(2)} ms per event, ${breakdown.eventsPerTransaction.toFixed(2)} events per transaction on average (one transaction at a time: ≈ ${(1000 / breakdown.handlerMsPerEvent).toFixed(0)} events/s at most at this batch size)`,
  );
}
