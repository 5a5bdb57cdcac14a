import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type BenchHub, graphql, ms, percentiles } from './hub.js';
import { load, printHeader, printRow, SPACES_QUERY } from './throughput.js';

const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 100);
const ERASURES = Number(process.env.BENCH_ERASURES ?? 20);
// A demo account (seed/demo.json of members); the run command prints these too.
const DEMO_EMAIL = 'kenta@demo.coworking-hub.example';
const DEMO_PASSWORD = 'coworking-demo-2026';
const SERVICES_HOLDING_MEMBERS = ['spaces', 'events', 'matching', 'support-programs'];

const SIGN_IN = `mutation ($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken }
}`;
const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { accessToken member { id } }
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
  const data = await graphql<{ signIn: { accessToken: string } }>(gateway, SIGN_IN, {
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
  });
  return data.signIn.accessToken;
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
 * The same query anonymous and with a bearer token: the difference is what verifying the token
 * (cached after its first sight) and forwarding the identity cost per request. A token the
 * gateway has not seen yet pays the Ed25519 signature check once: measured with fresh tokens.
 */
async function tokenOverhead(gateway: string): Promise<void> {
  const token = await signIn(gateway);
  const body = JSON.stringify({ query: SPACES_QUERY });
  console.log('\nToken verification overhead (spaces list via gateway)');
  printHeader();
  const anonymous = await load({ name: 'anonymous', url: gateway, body });
  printRow('anonymous', anonymous);
  const bearer = await load({
    name: 'bearer',
    url: gateway,
    body,
    headers: { authorization: `Bearer ${token}` },
  });
  printRow('with access token (cached verification)', bearer);
  console.log(
    `  overhead per request (mean latency): ${(bearer.latency.average - anonymous.latency.average).toFixed(2)} ms`,
  );

  const fresh: string[] = [];
  for (let i = 0; i < 30; i += 1) fresh.push(await signIn(gateway));
  const sequential = async (headersOf: (i: number) => Record<string, string>) => {
    const samples: number[] = [];
    for (let i = 0; i < fresh.length; i += 1) {
      const started = performance.now();
      await graphql(gateway, SPACES_QUERY, {}, headersOf(i));
      samples.push(performance.now() - started);
    }
    return percentiles(samples).p50;
  };
  const anonymousP50 = await sequential(() => ({}));
  const firstSightP50 = await sequential((i) => ({ authorization: `Bearer ${fresh[i]}` }));
  console.log(
    `  first sight of a token (uncached, sequential p50): ${(firstSightP50 - anonymousP50).toFixed(2)} ms over anonymous (${firstSightP50.toFixed(1)} vs ${anonymousP50.toFixed(1)} ms)`,
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
      const signedUp = await graphql<{ signUp: { accessToken: string; member: { id: string } } }>(
        gateway,
        SIGN_UP,
        {
          input: {
            email: `bench-${randomBytes(6).toString('hex')}@example.com`,
            password: `bench-${randomBytes(12).toString('hex')}`,
            displayName: 'ベンチ 太郎',
            kind: 'TELEWORKER',
          },
        },
      );
      const memberId = signedUp.signUp.member.id;
      const started = performance.now();
      await graphql(gateway, ERASE, {}, { authorization: `Bearer ${signedUp.signUp.accessToken}` });
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
