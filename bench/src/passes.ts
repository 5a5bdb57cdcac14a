import { type BenchHub, graphql, ms, percentiles } from './hub.js';

// Demo ids (services/spaces/seed/demo.json): Kenta's membership of Garage labs, the Hokkaido
// common ticket, and Dorinoki, a host with one free day a month.
const KENTA_AT_GARAGE_LABS = 'f0774541-ccf9-5863-a56b-2fe864b3dfbc';
const HOKKAIDO_COMMON_TICKET = 'c8886ad1-2199-5f95-a953-d58110bac028';
const DORINOKI = 'b907d6b0-9796-59d5-a245-a968e27a92cc';
const DORINOKI_FREE_DAYS = 1;
const ADMIN_EMAIL = 'hub-admin@demo.coworking-hub.example';
const DEMO_PASSWORD = 'coworking-demo-2026';

const PASSES = Number(process.env.BENCH_PASSES ?? 20);
const USES_PER_PASS = Number(process.env.BENCH_USES_PER_PASS ?? 20);

const SIGN_IN = `mutation ($input: SignInInput!) {
  signIn(input: $input) { ... on SignInSuccess { session { accessToken } } }
}`;
const ISSUE = `mutation ($input: IssuePassInput!) {
  issuePass(input: $input) { __typename ... on IssuePassSuccess { pass { id } } }
}`;
const REDEEM = `mutation ($input: RedeemPassInput!) {
  redeemPass(input: $input) { __typename ... on Error { code } }
}`;

/** A Tokyo day of the month after next: past any host's notice, inside a new pass's validity. */
function dayOfMonthAfterNext(day: number): string {
  const now = new Date(Date.now() + 9 * 3600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
  return new Date(first.getTime() + (day - 1) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Concurrent pass redemption through the gateway: every pass gets USES_PER_PASS redemptions at
 * once (different days of one month, all passes together), so each pass's row lock queues its
 * own requests while the passes run in parallel. Prints latency, throughput, and checks that
 * exactly the free days succeeded per pass — the point of the lock.
 */
export async function runPasses(hub: BenchHub): Promise<void> {
  const gateway = hub.urls.get('GraphQL')!;
  const signedIn = await graphql<{ signIn: { session: { accessToken: string } } }>(
    gateway,
    SIGN_IN,
    { input: { email: ADMIN_EMAIL, password: DEMO_PASSWORD } },
  );
  const headers = { authorization: `Bearer ${signedIn.signIn.session.accessToken}` };
  const passIds: string[] = [];
  for (let i = 0; i < PASSES; i += 1) {
    const issued = await graphql<{ issuePass: { pass: { id: string } } }>(
      gateway,
      ISSUE,
      {
        input: {
          networkId: HOKKAIDO_COMMON_TICKET,
          membershipId: KENTA_AT_GARAGE_LABS,
          validFrom: dayOfMonthAfterNext(1),
          validUntil: dayOfMonthAfterNext(28),
        },
      },
      headers,
    );
    passIds.push(issued.issuePass.pass.id);
  }
  const samples: number[] = [];
  const outcomes = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    passIds.flatMap((passId) =>
      Array.from({ length: USES_PER_PASS }, async (_, use) => {
        const sent = performance.now();
        const data = await graphql<{ redeemPass: { __typename: string; code?: string } }>(
          gateway,
          REDEEM,
          { input: { passId, hostSpaceId: DORINOKI, date: dayOfMonthAfterNext(use + 1) } },
          headers,
        );
        samples.push(performance.now() - sent);
        const outcome = data.redeemPass.code ?? data.redeemPass.__typename;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99, max } = percentiles(samples);
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  console.log(
    `\nPass redemption via gateway: ${PASSES} passes × ${USES_PER_PASS} concurrent uses (${samples.length} requests at once)`,
  );
  console.log(
    `  p50 ${ms(p50)} ms   p95 ${ms(p95)} ms   p99 ${ms(p99)} ms   max ${ms(max)} ms   ${(samples.length / seconds).toFixed(0)} req/s`,
  );
  console.log(`  outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  const succeeded = outcomes.get('RedeemPassSuccess') ?? 0;
  if (succeeded !== PASSES * DORINOKI_FREE_DAYS) {
    throw new Error(`over- or under-redeemed: ${succeeded} uses for ${PASSES} passes`);
  }
}
