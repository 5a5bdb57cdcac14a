import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type BenchHub, graphql, ms, percentiles } from './hub.js';
import { load, SPACES_QUERY } from './throughput.js';

const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 100);
const ERASURES = Number(process.env.BENCH_ERASURES ?? 20);
const OVERHEAD_SAMPLES = Number(process.env.BENCH_OVERHEAD_SAMPLES ?? 200);
// A demo account (seed/demo.json of members); the run command prints these too.
const DEMO_EMAIL = 'kenta@demo.coworking-hub.example';
const DEMO_PASSWORD = 'coworking-demo-2026';
const SERVICES_HOLDING_MEMBERS = ['spaces', 'events', 'matching', 'support-programs'];

const SIGN_IN = `mutation ($input: SignInInput!) {
  signIn(input: $input) { ... on SignInSuccess { session { accessToken } } }
}`;
const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { ... on SignUpSuccess { session { accessToken member { id } } } }
}`;
const ERASE = `mutation { eraseMyAccount(confirmation: "ERASE") { erasedAt } }`;

/** Sign-in latency, the gateway's token verification overhead, erasure propagation time. */
export async function runIdentity(hub: BenchHub): Promise<void> {
  const gateway = hub.urls.get('GraphQL')!;
  await signInLatency(gateway);
  await tokenOverhead(gateway);
  if (hub.usePostgres) await erasurePropagation(hub, gateway);
  else console.log('\nErasure propagation: needs the machine PostgreSQL (skipped on PGlite)');
}

async function signIn(gateway: string): Promise<string> {
  const data = await graphql<{ signIn: { session: { accessToken: string } } }>(gateway, SIGN_IN, {
    input: { email: DEMO_EMAIL, password: DEMO_PASSWORD },
  });
  return data.signIn.session.accessToken;
}

async function signInLatency(gateway: string): Promise<void> {
  await signIn(gateway);
  const samples: number[] = [];
  for (let i = 0; i < SIGN_INS; i += 1) {
    const started = performance.now();
    await signIn(gateway);
    samples.push(performance.now() - started);
  }
  const { p50, p99, max } = percentiles(samples);
  console.log(`\nSign-in via gateway (argon2id verify + token issue), ${SIGN_INS} sequential`);
  console.log(`  p50 ${ms(p50)} ms   p99 ${ms(p99)} ms   max ${ms(max)} ms`);
}

/**
 * The same query anonymous, with a token the gateway has verified before (cached), and with a
 * token it sees for the first time (Ed25519 signature check against the JWKS), one request at a
 * time and interleaved, so the three differ only in the caller: the differences of the medians
 * are what verifying a caller and forwarding its identity cost per request. Under load the
 * differences drown in the run-to-run noise of the two cores, so this is measured sequentially.
 */
async function tokenOverhead(gateway: string): Promise<void> {
  const cached = await signIn(gateway);
  const fresh: string[] = [];
  for (let i = 0; i < OVERHEAD_SAMPLES; i += 1) fresh.push(await signIn(gateway));
  const timed = async (headers: Record<string, string>) => {
    const started = performance.now();
    await graphql(gateway, SPACES_QUERY, {}, headers);
    return performance.now() - started;
  };
  // Warm-up: JIT, sockets and the subgraphs' caches, so the first kind measured is not penalised.
  await load({ name: 'warm-up', url: gateway, body: JSON.stringify({ query: SPACES_QUERY }) }, 3);
  const samples = { anonymous: [] as number[], cached: [] as number[], fresh: [] as number[] };
  for (let i = 0; i < OVERHEAD_SAMPLES; i += 1) {
    samples.anonymous.push(await timed({}));
    samples.cached.push(await timed({ authorization: `Bearer ${cached}` }));
    samples.fresh.push(await timed({ authorization: `Bearer ${fresh[i]}` }));
  }
  const p50 = (values: number[]) => percentiles(values).p50;
  console.log(
    `\nToken verification overhead (spaces list via gateway, ${OVERHEAD_SAMPLES} sequential requests each, interleaved)`,
  );
  for (const [name, values] of Object.entries(samples)) {
    const { p50: median, p99 } = percentiles(values);
    console.log(`  ${name.padEnd(10)} p50 ${ms(median)} ms   p99 ${ms(p99)} ms`);
  }
  console.log(
    `  overhead at p50: cached token ${(p50(samples.cached) - p50(samples.anonymous)).toFixed(2)} ms, first sight ${(p50(samples.fresh) - p50(samples.anonymous)).toFixed(2)} ms`,
  );
}

/**
 * From the erasure mutation being sent until the member.erased event is in the inbox of every
 * other service (each inbox row is written in the same transaction as that service's effect).
 */
async function erasurePropagation(hub: BenchHub, gateway: string): Promise<void> {
  const pools = new Map(
    ['members', ...SERVICES_HOLDING_MEMBERS].map((service) => {
      const pool = new pg.Pool({ connectionString: hub.databaseUrl(service), max: 1 });
      pool.on('error', () => {});
      return [service, pool] as const;
    }),
  );
  const perService = new Map<string, number[]>(SERVICES_HOLDING_MEMBERS.map((s) => [s, []]));
  const last: number[] = [];
  try {
    for (let i = 0; i < ERASURES; i += 1) {
      const signedUp = await graphql<{
        signUp: { session: { accessToken: string; member: { id: string } } };
      }>(gateway, SIGN_UP, {
        input: {
          email: `bench-${randomBytes(6).toString('hex')}@example.com`,
          password: `bench-${randomBytes(12).toString('hex')}`,
          displayName: 'ベンチ 太郎',
          kind: 'TELEWORKER',
        },
      });
      const { session } = signedUp.signUp;
      const memberId = session.member.id;
      const started = performance.now();
      await graphql(gateway, ERASE, {}, { authorization: `Bearer ${session.accessToken}` });
      const eventId = await pollUntil(async () => {
        const result = await pools
          .get('members')!
          .query<{ id: string }>(
            "SELECT id FROM outbox_event WHERE type = 'members.member.erased' AND subject = $1",
            [memberId],
          );
        return result.rows[0]?.id;
      });
      const arrivals = await Promise.all(
        SERVICES_HOLDING_MEMBERS.map(async (service) => {
          await pollUntil(async () => {
            const result = await pools
              .get(service)!
              .query('SELECT 1 FROM inbox_event WHERE event_id = $1', [eventId]);
            return result.rowCount ? true : undefined;
          });
          const elapsed = performance.now() - started;
          perService.get(service)!.push(elapsed);
          return elapsed;
        }),
      );
      last.push(Math.max(...arrivals));
    }
  } finally {
    await Promise.all([...pools.values()].map((pool) => pool.end()));
  }
  console.log(
    `\nErasure propagation (eraseMyAccount sent → member.erased handled), ${ERASURES} erasures`,
  );
  for (const [service, samples] of perService) {
    const { p50, p99, max } = percentiles(samples);
    console.log(
      `  ${service.padEnd(18)} p50 ${ms(p50)} ms   p99 ${ms(p99)} ms   max ${ms(max)} ms`,
    );
  }
  const { p50, p99, max } = percentiles(last);
  console.log(
    `  ${'last service'.padEnd(18)} p50 ${ms(p50)} ms   p99 ${ms(p99)} ms   max ${ms(max)} ms`,
  );
}

async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('timed out waiting for the erasure to propagate');
}
