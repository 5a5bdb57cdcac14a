import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) {
    ... on SignUpSuccess { session { accessToken member { id } } }
    ... on Error { code }
  }
}`;
const ERASE = `mutation { eraseMyAccount(confirmation: "ERASE") { erasedAt } }`;
// Longer than the gateway's 5 s subgraph timeout, so the gateway's own answer is what counts.
const REQUEST_TIMEOUT_MS = 10_000;

export type SignUpOutcome = {
  index: number;
  /** ms since the epoch. */
  sentAt: number;
  /** Set when the gateway acknowledged the sign-up (HTTP 200, data, no errors). */
  memberId?: string;
  /** Why it was not acknowledged: an error code, an HTTP status or `timeout`. */
  failure?: string;
};

export type ErasureOutcome = {
  memberId: string;
  sentAt: number;
  isAcknowledged: boolean;
  failure?: string;
};

export type LoadResult = { signUps: SignUpOutcome[]; erasures: ErasureOutcome[] };

/**
 * Sign-ups through the gateway at a fixed rate, open loop: operation i is sent at
 * start + i / rate whatever happened to the earlier ones, as real clients keep arriving during
 * an outage. Every `eraseEvery`-th sign-up, once acknowledged, is followed by the member's own
 * erasure (eraseMyAccount with the token the sign-up returned).
 */
export async function runLoad(options: {
  gatewayUrl: string;
  operations: number;
  rate: number;
  eraseEvery: number;
  /** Makes emails unique across experiments and runs. */
  tag: string;
}): Promise<LoadResult> {
  const signUps: SignUpOutcome[] = [];
  const erasures: ErasureOutcome[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < options.operations; index += 1) {
    const due = started + (index * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(
      (async () => {
        const outcome = await signUp(options.gatewayUrl, `${options.tag}-${index}`);
        signUps.push({ index, ...outcome.result });
        if (outcome.token && index % options.eraseEvery === options.eraseEvery - 1) {
          erasures.push(await erase(options.gatewayUrl, outcome.result.memberId!, outcome.token));
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  signUps.sort((a, b) => a.index - b.index);
  return { signUps, erasures };
}

/**
 * A few sign-ups one after another before the measured load, so the first measured ones do not
 * pay for cold processes (JIT, connection pools, the consumers' first pulls). Returns the ids
 * of the members created, which the counting then leaves out.
 */
export async function warmUp(gatewayUrl: string, count: number, tag: string): Promise<string[]> {
  const memberIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const outcome = await signUp(gatewayUrl, `${tag}-warm-up-${index}`);
    if (outcome.result.memberId) memberIds.push(outcome.result.memberId);
  }
  return memberIds;
}

async function signUp(
  gatewayUrl: string,
  name: string,
): Promise<{ result: Omit<SignUpOutcome, 'index'>; token?: string }> {
  const sentAt = Date.now();
  const answer = await post<{
    signUp?: { session?: { accessToken: string; member: { id: string } }; code?: string };
  }>(gatewayUrl, SIGN_UP, {
    input: {
      email: `${name}@faults.example.com`,
      password: `faults-${randomBytes(12).toString('hex')}`,
      displayName: 'フォールト 太郎',
      kind: 'TELEWORKER',
    },
  });
  const payload = answer.data?.signUp;
  // A typed error (e.g. EMAIL_TAKEN) is an answer too, but no sign-up was made.
  if (!payload?.session) {
    return { result: { sentAt, failure: answer.failure ?? payload?.code } };
  }
  return {
    result: { sentAt, memberId: payload.session.member.id },
    token: payload.session.accessToken,
  };
}

async function erase(gatewayUrl: string, memberId: string, token: string): Promise<ErasureOutcome> {
  const sentAt = Date.now();
  const answer = await post<{ eraseMyAccount?: { erasedAt: string } }>(
    gatewayUrl,
    ERASE,
    {},
    { authorization: `Bearer ${token}` },
  );
  return answer.data?.eraseMyAccount
    ? { memberId, sentAt, isAcknowledged: true }
    : { memberId, sentAt, isAcknowledged: false, failure: answer.failure };
}

type GraphQLAnswer<T> = { data?: T; failure?: string };

/** Acknowledged = HTTP 200 with data and no errors; anything else names why not. */
async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<T>> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as {
      data?: T | null;
      errors?: { extensions?: { code?: string } }[];
    };
    if (response.status === 200 && body.data && !body.errors?.length) return { data: body.data };
    const code = body.errors?.[0]?.extensions?.code;
    return { failure: code ?? `HTTP ${response.status}` };
  } catch (error) {
    const name = (error as Error).name;
    return { failure: name === 'TimeoutError' ? 'timeout' : 'connection failed' };
  }
}
