/**
 * The query mix of `npm run bench gateways`: issue 9's Q1–Q3 in today's schema (lists are
 * connections), and a varied mix in which no two requests in flight are likely to be the same,
 * so neither in-flight deduplication nor a response cache can answer for the subgraphs.
 */

export const Q1 =
  '{ spaces { nodes { name municipality { code name } operator { name } upcomingEvents { nodes { title } } } } }';
export const Q2 = '{ spaces { nodes { name kind municipality { code name } } } }';
export const Q3 =
  '{ organizations(first: 50) { nodes { name spaces { nodes { name } } events { nodes { title } } workOrders { nodes { title } } programs { nodes { title } } } } }';

export const FIXED_QUERIES = [
  { name: 'Q1', query: Q1 },
  { name: 'Q2', query: Q2 },
  { name: 'Q3', query: Q3 },
] as const;

export const SPACE_BY_ID = `query SpaceById($id: ID!, $events: Int) {
  space(id: $id) { id name kind municipality { code name } upcomingEvents(first: $events) { totalCount nodes { id title } } }
}`;
export const SPACES_PAGE = `query SpacesPage($first: Int, $after: String, $filter: SpaceFilter) {
  spaces(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name kind municipality { code name } }
  }
}`;
export const ME = `query Me {
  me { id displayName email kind bio interests availableHoursPerWeek }
}`;

/** What the varied mix draws from: facts read from the running hub before the runs. */
export type VariedPools = {
  spaceIds: string[];
  /** Cursors of the unfiltered spaces list, to start pages after. */
  spaceCursors: string[];
  municipalityCodes: string[];
  prefectures: string[];
  /** Indexes into the caller list of the run (members signed in for the bench). */
  memberCount: number;
};

/** One request of the varied mix: the body, and the member it is sent as (null: anonymous). */
export type VariedRequest = {
  kind: 'space' | 'spaces' | 'me';
  body: { query: string; variables: Record<string, unknown> };
  member: number | null;
};

const SPACE_KINDS = ['COWORKING', 'SATELLITE_OFFICE', 'TELEWORK_CENTRE'];

const pick = <T>(random: () => number, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('the varied mix needs a non-empty pool');
  return items[Math.floor(random() * items.length)]!;
};
const between = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));

/** A UUID (version 4 in form) from `random`: an id no space has, answered `null`. */
export function randomUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '8';
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function randomFilter(random: () => number, pools: VariedPools): Record<string, unknown> | null {
  switch (between(random, 0, 3)) {
    case 0:
      return null;
    case 1:
      return { kind: pick(random, SPACE_KINDS) };
    case 2:
      return { prefecture: pick(random, pools.prefectures) };
    default:
      return { municipalityCode: pick(random, pools.municipalityCodes) };
  }
}

/**
 * Draws the next request of the varied mix: a third each of `space(id:)` (a random space or a
 * random id, a random number of its events), `spaces` with a random filter, page size (1–100)
 * and start, and `me` as one of the members. Deterministic for a given `random`, so every gateway gets the same
 * sequence.
 */
export function nextVariedRequest(random: () => number, pools: VariedPools): VariedRequest {
  const kind = pick(random, ['space', 'spaces', 'me'] as const);
  if (kind === 'space') {
    return {
      kind,
      body: {
        query: SPACE_BY_ID,
        // Half of them ids no space has: a response cache keyed by the variables never sees
        // those twice, while the subgraph still looks each up.
        variables: {
          id: random() < 0.5 ? pick(random, pools.spaceIds) : randomUuid(random),
          events: between(random, 1, 100),
        },
      },
      member: null,
    };
  }
  if (kind === 'spaces') {
    const after = random() < 0.5 ? null : pick(random, pools.spaceCursors);
    return {
      kind,
      body: {
        query: SPACES_PAGE,
        variables: {
          first: between(random, 1, 100),
          after,
          filter: randomFilter(random, pools),
        },
      },
      member: null,
    };
  }
  return {
    kind,
    body: { query: ME, variables: {} },
    member: between(random, 0, pools.memberCount - 1),
  };
}
