import { readdirSync, readFileSync } from 'node:fs';
import type { IndexedWorkerFacts, OrderFacts } from '@hub/matching';
import pg from 'pg';
import { RANKING_CENTRE } from './ranking-data.js';

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'hub_bench_ranking';
const MIGRATIONS = new URL('../../services/matching/prisma/migrations/', import.meta.url);

/**
 * The same workers in matching's own tables (its migrations, on a database of this suite), and
 * the ranking done by PostgreSQL instead: the GIN index on worker.skills finds the workers
 * holding a required skill, the query scores coverage, capacity and place — half the factors,
 * the ones whose facts the worker row holds — and sorts. A lower bound of the database design,
 * without explanations. Returns the latencies in ms and how many rows the query answered.
 */
export async function rankInDatabase(
  workers: readonly IndexedWorkerFacts[],
  order: OrderFacts,
  runs: number,
): Promise<{ samples: number[]; rows: number }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const client = new pg.Client({ connectionString: ADMIN_URL.replace(/postgres$/, DATABASE) });
  await client.connect();
  try {
    for (const name of readdirSync(MIGRATIONS)
      .filter((entry) => /^\d/.test(entry))
      .sort()) {
      await client.query(readFileSync(new URL(`${name}/migration.sql`, MIGRATIONS), 'utf8'));
    }
    await load(client, workers);
    await client.query('ANALYZE');
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
  } finally {
    await client.end();
    const cleanup = new pg.Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await cleanup.end();
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
