import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findFreePort, isTcpReachable } from '@hub/dev-infra';
import { IDENTITY_HEADER, signForwardedIdentity } from '@hub/identity';
import type { IndexedWorkerFacts, OrderFacts } from '@hub/matching';
import pg from 'pg';
import { treeUsage } from './gateways/process-stats.js';
import { RANKING_CENTRE, RANKING_COORDINATOR, referralsOf } from './ranking-data.js';

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'hub_bench_ranking';
const MIGRATIONS = new URL('../../services/matching/prisma/migrations/', import.meta.url);
const MATCHING_ENTRY = new URL('../../services/matching/dist/index.js', import.meta.url);

export type RankingDatabase = { url: string; client: pg.Client; close(): Promise<void> };

/** A database of this suite with matching's migrations and the workers (dropped by close). */
export async function openRankingDatabase(
  workers: readonly IndexedWorkerFacts[],
): Promise<RankingDatabase> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = ADMIN_URL.replace(/postgres$/, DATABASE);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const name of readdirSync(MIGRATIONS)
    .filter((entry) => /^\d/.test(entry))
    .sort()) {
    await client.query(readFileSync(new URL(`${name}/migration.sql`, MIGRATIONS), 'utf8'));
  }
  await load(client, workers);
  await loadPlacesAndWork(client, workers);
  await loadReferrals(client, workers.length);
  await client.query('ANALYZE');
  return {
    url,
    client,
    async close() {
      await client.end();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * The ranking done by PostgreSQL instead, on matching's own tables: the GIN index on
 * worker.skills finds the workers holding a required skill, the query scores coverage, capacity
 * and place — half the factors, the ones whose facts the worker row holds — and sorts. A lower
 * bound of the database design, without explanations. Latencies in ms, and the rows answered.
 */
export async function rankInDatabase(
  client: pg.Client,
  order: OrderFacts,
  runs: number,
): Promise<{ samples: number[]; rows: number }> {
  const sql = `
      WITH required(code, minimum) AS (SELECT * FROM unnest($1::text[], $2::int[])),
      found AS (
        SELECT w.member_id, w.municipality_code,
               w.available_hours_per_week * $3::int AS capacity,
               sum(CASE WHEN (s->>'level')::int >= r.minimum
                        THEN 6 + least((s->>'level')::int - r.minimum, 2)
                             + CASE WHEN (s->>'verified')::boolean THEN 2 ELSE 0 END
                        ELSE 0 END) AS credit
          FROM worker w
          CROSS JOIN LATERAL jsonb_array_elements(w.skills) s
          JOIN required r ON r.code = s->>'code'
         WHERE (${order.requiredSkills.map((_, i) => `w.skills @> $${i + 7}::jsonb`).join(' OR ')})
           AND w.available_hours_per_week IS NOT NULL
           AND EXISTS (SELECT 1 FROM worker_affiliation a
                        WHERE a.member_id = w.member_id AND a.organization_id = $4::uuid
                          AND a.starts_on <= $5::date
                          AND (a.ends_on IS NULL OR a.ends_on >= $5::date))
         GROUP BY w.member_id
      )
      SELECT member_id,
             40 * floor(100 * credit / (10 * $6::int))
           + 15 * least(100, floor(100 * capacity / 80))
           + 10 * CASE WHEN municipality_code = '202151' THEN 60 ELSE 0 END AS score
        FROM found
       WHERE credit > 0 AND capacity > 0
       ORDER BY score DESC, member_id
       LIMIT 50`;
  const values = [
    order.requiredSkills.map((skill) => skill.code),
    order.requiredSkills.map((skill) => skill.minimumLevel),
    4,
    RANKING_CENTRE,
    '2026-12-06',
    order.requiredSkills.length,
    ...order.requiredSkills.map((skill) => JSON.stringify([{ code: skill.code }])),
  ];
  let rows = 0;
  for (let i = 0; i < 5; i += 1) rows = (await client.query(sql, values)).rowCount ?? 0;
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await client.query(sql, values);
    samples.push(performance.now() - started);
  }
  return { samples, rows };
}

const CANDIDATES = `query ($id: ID!) {
  workOrder(id: $id) {
    candidates(first: 50) { rank score member { id } parts { factor weight points facts explanation explanationEn } }
  }
}`;
const GATEWAY_SECRET = 'bench-ranking-gateway-secret-0123456789';

/**
 * Through the matching subgraph over HTTP, as the gateway calls it (the centre's coordinator's
 * signed identity, with a referral walk over the generated graph):
 * an order of the centre with the 5 skills, the service started as deployed — its own process
 * (services/matching/dist/index.js, NODE_ENV production, LOG_LEVEL info) on the suite's
 * database and the machine's NATS (namespace `bench-ranking`) — so its heap holds its index
 * alone, not this process's generated workers and in-process index, and its event loop does not
 * parse the answers. The first request loads the index (timed apart); then one request at a
 * time, so each latency is one ranking's. Latencies in ms; the service's RSS after the runs.
 */
export async function rankThroughSubgraph(
  database: RankingDatabase,
  order: OrderFacts,
  runs: number,
): Promise<{ firstMs: number; samples: number[]; candidates: number; rssMb: number }> {
  const orderId = randomUUID();
  await database.client.query(
    `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
       client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
       status, updated_at)
     VALUES ($1, 'bench', 'data-entry', $2, $3, now(), now(), $4, 'hours', 'hourly', 1200,
             'open', now())`,
    [orderId, randomUUID(), RANKING_CENTRE, order.hoursNeeded],
  );
  await database.client.query(
    `INSERT INTO work_order_skill (work_order_id, skill_code, minimum_level)
     SELECT $1, code, minimum FROM unnest($2::text[], $3::int[]) AS t(code, minimum)`,
    [
      orderId,
      order.requiredSkills.map((skill) => skill.code),
      order.requiredSkills.map((skill) => skill.minimumLevel),
    ],
  );
  const service = await spawnMatching(database.url);
  try {
    // The centre's coordinator, as in the hub: reads the workers registered with the centre,
    // and their referral distances over the links a coordinator may read.
    const identity = {
      kind: 'member' as const,
      memberId: RANKING_COORDINATOR,
      sessionId: randomUUID(),
      roles: [],
      staffOf: [{ organizationId: RANKING_CENTRE, role: 'coordinator' as const }],
    };
    // Signed per request as the gateway does (a signature is valid for 60 s).
    const headers = () => ({
      'content-type': 'application/json',
      'x-hub-gateway-credential': GATEWAY_SECRET,
      [IDENTITY_HEADER]: signForwardedIdentity({ identity, clientAddress: null }, GATEWAY_SECRET),
    });
    const ask = async () => {
      const response = await fetch(service.url, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ query: CANDIDATES, variables: { id: orderId } }),
      });
      const body = (await response.json()) as {
        data?: { workOrder?: { candidates?: unknown[] } };
        errors?: unknown[];
      };
      if (body.errors) throw new Error(`candidates refused: ${JSON.stringify(body.errors[0])}`);
      return body.data?.workOrder?.candidates?.length ?? 0;
    };
    const firstStarted = performance.now();
    let candidates = await ask();
    const firstMs = performance.now() - firstStarted;
    for (let i = 0; i < 20; i += 1) await ask();
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      candidates = await ask();
      samples.push(performance.now() - started);
    }
    return { firstMs, samples, candidates, rssMb: service.rssMb() };
  } finally {
    await service.stop();
  }
}

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether the NATS the service would use answers (the subgraph part needs it). */
export function natsAnswers(): Promise<boolean> {
  const url = new URL(NATS_URL);
  return isTcpReachable(url.hostname, Number(url.port || 4222));
}

/** The matching service's built entry as its own process, ready (its /_readiness answers). */
async function spawnMatching(databaseUrl: string) {
  const port = await findFreePort();
  const logFile = join(mkdtempSync(join(tmpdir(), 'hub-bench-ranking-')), 'matching.log');
  const log = openSync(logFile, 'a');
  // Node flags for the service alone, e.g. '--cpu-prof --cpu-prof-dir=/tmp/ranking' or
  // '--trace-gc' (its output goes to the log named below).
  const flags = (process.env.RANKING_SERVICE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, fileURLToPath(MATCHING_ENTRY)], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      NATS_URL,
      HUB_NATS_NAMESPACE: 'bench-ranking',
      HUB_GATEWAY_SECRET: GATEWAY_SECRET,
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the matching service exited; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the matching service was not ready within 60 s; see ${logFile}`);
    }
    const status = await fetch(`${origin}/_readiness`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(100);
  }
  if (flags.length > 0)
    console.log(`  (the service runs with ${flags.join(' ')}; its log: ${logFile})`);
  return {
    url: `${origin}/graphql`,
    rssMb: () => treeUsage(child.pid!).rssBytes / 2 ** 20,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The referral graph (referralsOf), in batches. */
async function loadReferrals(client: pg.Client, count: number): Promise<void> {
  const rows = referralsOf(count);
  const batch = 10_000;
  for (let start = 0; start < rows.length; start += batch) {
    const part = rows.slice(start, start + batch);
    await client.query(
      `INSERT INTO referral (member_id, referred_by_id, profile_visibility, source_event_at)
       SELECT member_id, referred_by_id, visibility, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(member_id, referred_by_id, visibility)`,
      [
        part.map((row) => row.memberId),
        part.map((row) => row.referredById),
        part.map((row) => row.profileVisibility),
      ],
    );
  }
}

async function load(client: pg.Client, workers: readonly IndexedWorkerFacts[]): Promise<void> {
  const batch = 5_000;
  for (let start = 0; start < workers.length; start += batch) {
    const part = workers.slice(start, start + batch);
    await client.query(
      `INSERT INTO worker (member_id, display_name, kind, municipality_code,
                           available_hours_per_week, skills, registered_at, source_event_at)
       SELECT id, 'bench', 'teleworker', place, hours, skills, now(), now()
         FROM unnest($1::uuid[], $2::text[], $3::smallint[], $4::jsonb[])
              AS t(id, place, hours, skills)`,
      [
        part.map((worker) => worker.memberId),
        part.map((worker) => worker.municipalityCode),
        part.map((worker) => worker.availableHoursPerWeek),
        part.map((worker) => JSON.stringify(worker.skills)),
      ],
    );
    const affiliations = part.flatMap((worker) =>
      worker.affiliations.map((affiliation) => ({ memberId: worker.memberId, ...affiliation })),
    );
    await client.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role,
                                       starts_on, ends_on, source_event_at)
       SELECT gen_random_uuid(), member_id, organization_id, 'worker', starts_on, ends_on, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::date[])
              AS t(member_id, organization_id, starts_on, ends_on)`,
      [
        affiliations.map((row) => row.memberId),
        affiliations.map((row) => row.organizationId),
        affiliations.map((row) => row.startsOn),
        affiliations.map((row) => row.endsOn),
      ],
    );
  }
}

/** The generator's `space-N` as a uuid (home_space and network_site hold uuids). */
const spaceUuidOf = (space: string) =>
  `00000000-0000-4000-9000-${Number(space.slice('space-'.length)).toString(16).padStart(12, '0')}`;

/**
 * The facts the subgraph's loaders read beside the worker rows, so its figures include them:
 * the centre's space (in its municipality) and a network of the order's 20 spaces; each home
 * space as a membership; per worker with a history three assignments of one past order — open
 * hours offered over 90 days ago (open, not recent), the recent hours done 30 days ago with the
 * ratings' average, the rest of the completed hours done 200 days ago. The referral graph is
 * loaded apart (loadReferrals).
 */
async function loadPlacesAndWork(
  client: pg.Client,
  workers: readonly IndexedWorkerFacts[],
): Promise<void> {
  const centreSpace = spaceUuidOf('space-1');
  await client.query(
    `INSERT INTO space (space_id, name, kind, status, municipality_code, operator_id, source_event_at)
     VALUES ($1, 'bench centre', 'telework-centre', 'open', '202151', $2, now())`,
    [centreSpace, RANKING_CENTRE],
  );
  await client.query(
    `INSERT INTO network_site (network_id, space_id, kind, minimum_plan)
     SELECT '00000000-0000-4000-9000-0000000000aa', space_id, 'visa', 'monthly'
       FROM unnest($1::uuid[]) AS t(space_id)`,
    [Array.from({ length: 20 }, (_, i) => spaceUuidOf(`space-${i + 1}`))],
  );
  const pastOrder = randomUUID();
  await client.query(
    `INSERT INTO work_order (id, title, category, client_id, receiving_centre_id,
       client_confirmed_at, receiving_centre_confirmed_at, volume, volume_unit, pay_model, rate,
       status, updated_at)
     VALUES ($1, 'bench past', 'data-entry', $2, $3, now(), now(), 1000000, 'hours', 'hourly',
             1200, 'in-progress', now())`,
    [pastOrder, randomUUID(), RANKING_CENTRE],
  );
  const batch = 5_000;
  for (let start = 0; start < workers.length; start += batch) {
    const part = workers.slice(start, start + batch);
    const homes = part.flatMap((worker) =>
      worker.homeSpaceIds.map((space) => ({ memberId: worker.memberId, space })),
    );
    await client.query(
      `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
                               starts_on, source_event_at)
       SELECT gen_random_uuid(), member_id, space_id, '202151', 'monthly', '2024-04-01', now()
         FROM unnest($1::uuid[], $2::uuid[]) AS t(member_id, space_id)`,
      [homes.map((row) => row.memberId), homes.map((row) => spaceUuidOf(row.space))],
    );
    const rows: [string, string, number, number | null, number][] = [];
    for (const worker of part) {
      const id = worker.memberId;
      if (worker.openAllocatedHours > 0)
        rows.push([id, 'offered', worker.openAllocatedHours, null, 100]);
      const average =
        worker.ratingCount > 0 ? Math.round(worker.ratingSum / worker.ratingCount) : null;
      if (worker.recentAssignedHours > 0)
        rows.push([id, 'done', worker.recentAssignedHours, average, 30]);
      const older = worker.completedHours - worker.recentAssignedHours;
      if (older > 0) rows.push([id, 'done', older, null, 200]);
    }
    await client.query(
      `INSERT INTO assignment (id, work_order_id, member_id, role, allocated_volume,
                               allocated_hours, status, rating, period_ends_at, created_at,
                               completed_at, updated_at)
       SELECT gen_random_uuid(), $1, member_id, 'worker', hours, hours,
              status::assignment_status, rating, now() + interval '28 days',
              now() - make_interval(days => days_ago),
              CASE WHEN status = 'done' THEN now() - make_interval(days => days_ago) END, now()
         FROM unnest($2::uuid[], $3::text[], $4::int[], $5::smallint[], $6::int[])
              AS t(member_id, status, hours, rating, days_ago)`,
      [
        pastOrder,
        rows.map((row) => row[0]),
        rows.map((row) => row[1]),
        rows.map((row) => row[2]),
        rows.map((row) => row[3]),
        rows.map((row) => row[4]),
      ],
    );
  }
}
