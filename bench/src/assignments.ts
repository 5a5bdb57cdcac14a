import { randomUUID } from 'node:crypto';
import { IDENTITY_HEADER, signForwardedIdentity } from '@hub/identity';
import pg from 'pg';
import { type BenchHub, ms, percentiles } from './hub.js';

// Assignments under contention (issue 11): offers and acceptances on the matching subgraph,
// many at once on the same orders, whose row lock (and each worker's capacity lock) serialises
// them. Workers are written with SQL into matching's read model (the members events would put
// them there), so it needs the machine's PostgreSQL. Rows are tagged so reruns do not collide.
//     ASSIGNMENT_ORDERS=10 ASSIGNMENT_OFFERS_PER_ORDER=20 npm run bench assignments
// A request the service answers SERVICE_UNAVAILABLE (no connection free in time while the others
// wait for the lock) is retried after retryAfterSeconds, as a client should; retries are counted.

const ORDERS = Number(process.env.ASSIGNMENT_ORDERS ?? 10);
const OFFERS_PER_ORDER = Number(process.env.ASSIGNMENT_OFFERS_PER_ORDER ?? 20);
/** Each order's volume fits two thirds of its offers: the rest must be refused, never over-allocated. */
const VOLUME_PER_OFFER = 3;
const ORDER_VOLUME = Math.floor((OFFERS_PER_ORDER * 2) / 3) * VOLUME_PER_OFFER;

const ADMIN = {
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: ['admin'],
  staffOf: [],
};

const POST = `mutation ($input: PostWorkOrderInput!) {
  postWorkOrder(input: $input) { __typename ... on PostWorkOrderSuccess { workOrder { id } } }
}`;
const OFFER = `mutation ($input: OfferAssignmentInput!) {
  offerAssignment(input: $input) {
    __typename ... on OfferAssignmentSuccess { assignment { id } } ... on Error { code }
  }
}`;
const ACCEPT = `mutation ($input: AcceptAssignmentInput!) {
  acceptAssignment(input: $input) { __typename ... on Error { code } }
}`;

type Timed<T> = { data: T; ms: number };

export async function runAssignments(hub: BenchHub): Promise<void> {
  if (!hub.usePostgres) {
    console.log('\nassignments: skipped (needs the machine’s PostgreSQL to write workers)');
    return;
  }
  const matching = hub.urls.get('matching');
  if (!matching) throw new Error('the launcher printed no matching URL');
  let retries = 0;
  const call = async <T>(query: string, input: unknown, identity: object): Promise<Timed<T>> => {
    const sent = performance.now();
    for (;;) {
      const answer = await send<T>(query, input, identity);
      if (answer) return { data: answer, ms: performance.now() - sent };
      retries += 1;
    }
  };
  /** The data, or null for SERVICE_UNAVAILABLE (after waiting retryAfterSeconds). */
  const send = async <T>(query: string, input: unknown, identity: object): Promise<T | null> => {
    const response = await fetch(matching, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-gateway-credential': hub.secret,
        [IDENTITY_HEADER]: signForwardedIdentity(
          { identity: identity as never, clientAddress: null },
          hub.secret,
        ),
      },
      body: JSON.stringify({ query, variables: { input } }),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[];
    };
    const unavailable = body.errors?.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
    if (unavailable) {
      const seconds = unavailable.extensions?.retryAfterSeconds ?? 1;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      return null;
    }
    if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  const centre = randomUUID();
  const workerCount = ORDERS * OFFERS_PER_ORDER;
  const workers = Array.from({ length: workerCount }, () => randomUUID());
  const db = new pg.Pool({ connectionString: hub.databaseUrl('matching'), max: 2 });
  try {
    await db.query(
      `INSERT INTO worker (member_id, display_name, kind, available_hours_per_week, skills,
         registered_at, source_event_at)
       SELECT id, 'bench worker', 'teleworker', 40, '[]', now(), now() FROM unnest($1::uuid[]) id`,
      [workers],
    );
    await db.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
         source_event_at)
       SELECT gen_random_uuid(), id, $2, 'worker', current_date - 1, now() FROM unnest($1::uuid[]) id`,
      [workers, centre],
    );
  } finally {
    await db.end();
  }

  const orderIds: string[] = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const posted = await call<{ postWorkOrder: { workOrder: { id: string } } }>(
      POST,
      {
        title: `bench order ${i}`,
        category: 'DATA_ENTRY',
        clientId: randomUUID(),
        receivingCentreId: centre,
        volume: ORDER_VOLUME,
        volumeUnit: 'HOURS',
        payModel: 'HOURLY',
        rate: 1100,
        deadline: new Date(Date.now() + 28 * 86_400_000).toISOString(),
      },
      ADMIN,
    );
    orderIds.push(posted.data.postWorkOrder.workOrder.id);
  }

  // Offers: every order gets all its offers at once, all orders together.
  const offerOutcomes = new Map<string, number>();
  const offered: { assignmentId: string; memberId: string }[] = [];
  const offerSamples: number[] = [];
  let started = performance.now();
  await Promise.all(
    orderIds.flatMap((workOrderId, order) =>
      Array.from({ length: OFFERS_PER_ORDER }, async (_, n) => {
        const memberId = workers[order * OFFERS_PER_ORDER + n]!;
        const result = await call<{
          offerAssignment: { __typename: string; code?: string; assignment?: { id: string } };
        }>(OFFER, { workOrderId, memberId, role: 'WORKER', volume: VOLUME_PER_OFFER }, ADMIN);
        offerSamples.push(result.ms);
        const payload = result.data.offerAssignment;
        const outcome = payload.code ?? payload.__typename;
        offerOutcomes.set(outcome, (offerOutcomes.get(outcome) ?? 0) + 1);
        if (payload.assignment) offered.push({ assignmentId: payload.assignment.id, memberId });
      }),
    ),
  );
  const offerSeconds = (performance.now() - started) / 1000;

  // Acceptances: every member accepts twice at once (a double tap): one wins per offer.
  const acceptOutcomes = new Map<string, number>();
  const acceptSamples: number[] = [];
  started = performance.now();
  await Promise.all(
    offered.flatMap(({ assignmentId, memberId }) =>
      [0, 1].map(async () => {
        const member = {
          kind: 'member',
          memberId,
          sessionId: randomUUID(),
          roles: [],
          staffOf: [],
        };
        const result = await call<{ acceptAssignment: { __typename: string; code?: string } }>(
          ACCEPT,
          { assignmentId },
          member,
        );
        acceptSamples.push(result.ms);
        const payload = result.data.acceptAssignment;
        const outcome = payload.code ?? payload.__typename;
        acceptOutcomes.set(outcome, (acceptOutcomes.get(outcome) ?? 0) + 1);
      }),
    ),
  );
  const acceptSeconds = (performance.now() - started) / 1000;

  const line = (name: string, samples: number[], seconds: number) => {
    const { p50, p99, max } = percentiles(samples);
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    console.log(
      `  ${name.padEnd(12)} p50 ${ms(p50)} ms   p95 ${ms(p95)} ms   p99 ${ms(p99)} ms   max ${ms(max)} ms   ${(samples.length / seconds).toFixed(0)}/s`,
    );
  };
  console.log(
    `\nAssignments on the matching subgraph: ${ORDERS} orders × ${OFFERS_PER_ORDER} concurrent offers (${ORDER_VOLUME} h each, ${VOLUME_PER_OFFER} h an offer), then 2 concurrent acceptances per offer`,
  );
  line('offers', offerSamples, offerSeconds);
  line('acceptances', acceptSamples, acceptSeconds);
  console.log(`  offer outcomes: ${JSON.stringify(Object.fromEntries(offerOutcomes))}`);
  console.log(`  acceptance outcomes: ${JSON.stringify(Object.fromEntries(acceptOutcomes))}`);
  console.log(`  retried after SERVICE_UNAVAILABLE: ${retries}`);
  const fitting = ORDERS * (ORDER_VOLUME / VOLUME_PER_OFFER);
  if (offered.length !== fitting) {
    throw new Error(`over- or under-allocated: ${offered.length} offers for ${fitting} that fit`);
  }
  if ((acceptOutcomes.get('AcceptAssignmentSuccess') ?? 0) !== offered.length) {
    throw new Error('an offer was accepted twice or not at all');
  }
}
