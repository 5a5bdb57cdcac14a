import autocannon from 'autocannon';
import pg from 'pg';
import type { BenchHub } from './hub.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SPACES = Number(process.env.DIRECTORY_SPACES ?? 10_000);

// Generated rows carry this prefix in their ids' seed and are deleted afterwards: the bench
// databases are reused across runs and the other suites measure the demo directory.
const GENERATED = 'bench-directory-space';

/**
 * The spaces directory over 10,000 generated spaces (issue 10): `near` with filters and
 * `openNow`, text search and `openAt`, through the gateway (past its response cache) and
 * direct to the spaces subgraph. Needs the machine's PostgreSQL (rows are written with SQL).
 *     DIRECTORY_SPACES=10000 BENCH_DURATION=10 npm run bench directory
 */
export async function runDirectory(hub: BenchHub): Promise<void> {
  if (!hub.usePostgres) {
    console.log('\nDirectory — skipped: needs PostgreSQL on 127.0.0.1:5432');
    return;
  }
  const client = new pg.Client({ connectionString: hub.databaseUrl('spaces') });
  await client.connect();
  try {
    await generateSpaces(client);
    const gateway = hub.urls.get('GraphQL')!;
    const spaces = hub.urls.get('spaces')!;
    // Every request varies (point, minute, number): identical requests would be merged by the
    // gateway's in-flight dedup and answered by its cache, measuring neither.
    const jitter = (spread: number) => (Math.random() - 0.5) * spread;
    const queries: [string, string, () => Record<string, unknown>][] = [
      [
        'near 30 km + WIFI + openNow',
        'query($f: SpaceFilter) { spaces(filter: $f, first: 20) { totalCount nodes { id name distanceKm dropInPriceYen } } }',
        () => ({
          f: {
            near: { latitude: 35.68 + jitter(1), longitude: 139.76 + jitter(1), radiusKm: 30 },
            facilities: ['WIFI'],
            openNow: true,
          },
        }),
      ],
      [
        'near 100 km + price ≤ 1000 + policy',
        'query($f: SpaceFilter) { spaces(filter: $f, first: 20) { totalCount nodes { id name distanceKm } } }',
        () => ({
          f: {
            near: { latitude: 36.1 + jitter(2), longitude: 137.95 + jitter(2), radiusKm: 100 },
            maxDropInPriceYen: 1000,
            admissionPolicy: 'OPEN_TO_ALL',
          },
        }),
      ],
      [
        'openAt (a weekday, 09–21h) + kind',
        'query($f: SpaceFilter) { spaces(filter: $f, first: 20) { totalCount nodes { id name } } }',
        () => ({
          f: {
            openAt: new Date(
              Date.parse('2026-12-07T00:00:00Z') + Math.floor(Math.random() * 720) * 60_000,
            ),
            kind: 'COWORKING',
          },
        }),
      ],
      [
        'text (romaji) over 10k',
        'query($f: SpaceFilter) { spaces(filter: $f, first: 20) { totalCount nodes { id name } } }',
        () => ({ f: { text: `kyoten ${1 + Math.floor(Math.random() * 999)}` } }),
      ],
    ];
    console.log(
      `\nDirectory — ${SPACES} generated spaces, ${CONNECTIONS} connections, ${DURATION}s each\n`,
    );
    console.log(
      `${'query'.padEnd(44)} ${'via'.padEnd(8)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p97.5'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`,
    );
    for (const [name, query, variables] of queries) {
      const body = () => JSON.stringify({ query, variables: variables() });
      await check(gateway, body());
      for (const [via, url, headers] of [
        ['gateway', gateway, { 'cache-control': 'no-cache' }],
        ['subgraph', spaces, { 'x-hub-gateway-credential': hub.secret }],
      ] as const) {
        const result = await autocannon({
          url,
          method: 'POST',
          connections: CONNECTIONS,
          duration: DURATION,
          headers: { 'content-type': 'application/json', ...headers },
          requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
        });
        const { latency } = result;
        console.log(
          `${name.padEnd(44)} ${via.padEnd(8)} ${result.requests.average.toFixed(0).padStart(7)} ${String(latency.p50).padStart(7)} ${String(latency.p97_5).padStart(7)} ${String(latency.p99).padStart(7)} ${String(result.errors + result.non2xx).padStart(7)}`,
        );
      }
    }
  } finally {
    await client.query(`DELETE FROM space WHERE search_text LIKE '${GENERATED}%'`);
    await client.end();
  }
}

/** Spaces spread over Japan's main islands, with hours, prices, facilities and a kana name. */
async function generateSpaces(client: pg.Client): Promise<void> {
  await client.query(`DELETE FROM space WHERE search_text LIKE '${GENERATED}%'`);
  await client.query(
    `INSERT INTO space (id, name, name_kana, kind, admission_policy, municipality_code, latitude,
                        longitude, facilities, drop_in_price_yen, weekly_hours, closed_on_holidays,
                        search_text, updated_at)
     SELECT md5('${GENERATED}-' || g)::uuid, '拠点 ' || g, 'きょてん ' || g,
            (ARRAY['coworking','telework-centre','satellite-office','incubator']::space_kind[])[1 + g % 4],
            (ARRAY['open-to-all','screened-by-aspiration','members-only']::admission_policy[])[1 + g % 3],
            (SELECT code FROM municipality ORDER BY code LIMIT 1 OFFSET g % (SELECT count(*) FROM municipality)),
            31 + random() * 12, 130 + random() * 12,
            CASE WHEN g % 2 = 0 THEN ARRAY['wifi','kitchen']::facility[] ELSE ARRAY['wifi']::facility[] END,
            (g % 5) * 500,
            jsonb_build_object('MONDAY', jsonb_build_array(jsonb_build_object('opens', '09:00', 'closes', '18:00')),
                               'TUESDAY', jsonb_build_array(jsonb_build_object('opens', '09:00', 'closes', '18:00')),
                               'WEDNESDAY', jsonb_build_array(jsonb_build_object('opens', '09:00', 'closes', '12:00'),
                                                              jsonb_build_object('opens', '13:00', 'closes', '21:00')),
                               'THURSDAY', jsonb_build_array(jsonb_build_object('opens', '09:00', 'closes', '18:00')),
                               'FRIDAY', jsonb_build_array(jsonb_build_object('opens', '09:00', 'closes', '18:00')),
                               'SATURDAY', CASE WHEN g % 3 = 0 THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('opens', '10:00', 'closes', '17:00')) END),
            g % 4 = 0,
            '${GENERATED}' || chr(10) || '拠点 ' || g || chr(10) || 'きょてん ' || g || chr(10) || 'kyoten ' || g,
            now()
     FROM generate_series(1, $1::int) AS g`,
    [SPACES],
  );
  await client.query('ANALYZE space');
}

/** One request first, so a query the hub refuses fails loudly instead of timing errors. */
async function check(url: string, body: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body,
  });
  const result = (await response.json()) as { errors?: unknown[] };
  if (result.errors) throw new Error(`directory query refused: ${JSON.stringify(result.errors)}`);
}
