import { seedDemoData as seedSpaces } from '@hub/spaces';
import { type GraphQLResponse, sendGraphQL } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Auth, bearer, signUp, signUpHubAdmin } from './support/accounts.js';
import { type HubStack, NATS_URL, startGatewayOverHub, startHub } from './support/hub.js';

// The gateway's response cache and in-flight merging on the real subgraphs, PostgreSQL and NATS.
// Three gateways share one hub: the hub's own (no cache) for writes that no cache sees, one
// whose cache listens to the hub's domain events on NATS, and one whose cache has no event
// source (only its TTL and its own mutations purge it). TTLs are a minute: a fresh answer in
// these tests is never the TTL's doing.
let hub: HubStack;
let listening: CachingGateway;
let deaf: CachingGateway;
let admin: Auth;
let alice: Auth;
let bob: Auth;
let partnerKey: string;
let spaceId: string;

type CachingGateway = { url: string; stop(): Promise<void> };

function startCachingGateway(withEvents: boolean): Promise<CachingGateway> {
  return startGatewayOverHub(hub, {
    responseCache: {
      ttlMs: 60_000,
      ...(withEvents ? { events: { natsUrl: NATS_URL, namespace: hub.namespace } } : {}),
    },
  });
}

const send = <T = Record<string, unknown>>(
  gateway: CachingGateway,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResponse<T>> => sendGraphQL<T>(gateway.url, query, { variables, headers });

const cacheOf = (response: GraphQLResponse<unknown>) => response.headers['x-hub-cache'];

beforeAll(async () => {
  hub = await startHub({ services: ['spaces', 'members', 'events'] });
  await seedSpaces({ databaseUrl: hub.services.spaces!.databaseUrl });
  [listening, deaf] = await Promise.all([startCachingGateway(true), startCachingGateway(false)]);
  admin = await signUpHubAdmin(hub);
  [alice, bob] = await Promise.all([signUp(hub, '有栖 花子'), signUp(hub, '坊 太郎')]);
  partnerKey = await publicPartnerKey(hub, admin);
  const spaces = await hub.query<{ spaces: { nodes: { id: string }[] } }>(
    '{ spaces(first: 1) { nodes { id } } }',
  );
  spaceId = spaces.data!.spaces.nodes[0]!.id;
}, 90_000);

afterAll(async () => {
  await Promise.all([listening?.stop(), deaf?.stop()]);
  await hub?.stop();
});

describe('the cache never serves one caller’s answer to another', () => {
  // `me` is null for anonymous callers (no error, so cacheable) and personal for members.
  const MINE = '{ me { id displayName email } spaces(first: 2) { nodes { id name } } }';
  type Mine = {
    me: { id: string; displayName: string; email: string | null } | null;
    spaces: { nodes: { id: string; name: string }[] };
  };

  it('anonymous answers are cached; members and partners always get their own', async () => {
    const own = await send<Mine>(listening, MINE, {}, bearer(alice.accessToken));
    expect(cacheOf(own)).toBe('BYPASS');
    expect(own.data?.me).toMatchObject({ id: alice.member.id, email: alice.email });

    const anonymous = await send<Mine>(listening, MINE);
    const anonymousAgain = await send<Mine>(listening, MINE);
    expect(anonymous.data?.me).toBeNull();
    expect(anonymous.data?.spaces.nodes).toHaveLength(2);
    expect([cacheOf(anonymous), cacheOf(anonymousAgain)]).toEqual(['MISS', 'HIT']);
    expect(anonymousAgain.data).toEqual(anonymous.data);

    // With the anonymous answer cached, each signed-in caller still gets their own answer…
    const ownAgain = await send<Mine>(listening, MINE, {}, bearer(alice.accessToken));
    expect(cacheOf(ownAgain)).toBe('BYPASS');
    expect(ownAgain.data?.me).toMatchObject({ id: alice.member.id, email: alice.email });
    const other = await send<Mine>(listening, MINE, {}, bearer(bob.accessToken));
    expect(cacheOf(other)).toBe('BYPASS');
    expect(other.data?.me).toMatchObject({ id: bob.member.id, email: bob.email });
    const partner = await send<Mine>(listening, MINE, {}, { 'x-api-key': partnerKey });
    expect(cacheOf(partner)).toBe('BYPASS');
    expect(partner.errors).toBeUndefined();
    expect(partner.data?.me).toBeNull();
    // …and nothing they were answered was stored for anonymous callers.
    const anonymousLast = await send<Mine>(listening, MINE);
    expect(cacheOf(anonymousLast)).toBe('HIT');
    expect(anonymousLast.data).toEqual(anonymous.data);
  });

  it('an anonymous answer with an error (a personal field refused) is never cached', async () => {
    const PROFILE = 'query ($id: ID!) { member(id: $id) { id displayName email } }';
    const first = await send(listening, PROFILE, { id: alice.member.id });
    const second = await send(listening, PROFILE, { id: alice.member.id });

    expect(first.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect([cacheOf(first), cacheOf(second)]).toEqual(['MISS', 'MISS']);
    const own = await send<{ member: { email: string } }>(
      listening,
      PROFILE,
      { id: alice.member.id },
      bearer(alice.accessToken),
    );
    expect(own.data?.member.email).toBe(alice.email);
  });

  it('two members asking `me` at the same moment each get themselves (fetches never merged across callers)', async () => {
    const ME = '{ me { id displayName email } }';
    for (let round = 0; round < 5; round++) {
      const [a, b, anonymous] = await Promise.all([
        send<{ me: { id: string; email: string } }>(listening, ME, {}, bearer(alice.accessToken)),
        send<{ me: { id: string; email: string } }>(listening, ME, {}, bearer(bob.accessToken)),
        send<{ me: unknown }>(listening, ME),
      ]);
      expect(a.data?.me).toMatchObject({ id: alice.member.id, email: alice.email });
      expect(b.data?.me).toMatchObject({ id: bob.member.id, email: bob.email });
      expect(anonymous.data?.me ?? null).toBeNull();
    }
  });
});

describe('purges', () => {
  const SPACE = 'query ($id: ID!) { space(id: $id) { id name } }';
  type Space = { space: { id: string; name: string } };
  const rename = async (
    via: (
      q: string,
      v: Record<string, unknown>,
      h: Record<string, string>,
    ) => Promise<GraphQLResponse<{ updateSpace: { __typename: string } }>>,
    name: string,
  ) => {
    const renamed = await via(
      'mutation ($input: UpdateSpaceInput!) { updateSpace(input: $input) { __typename ... on UpdateSpaceSuccess { space { id name } } } }',
      { input: { id: spaceId, name } },
      bearer(admin.accessToken),
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data?.updateSpace.__typename).toBe('UpdateSpaceSuccess');
  };

  it('a space.updated event purges the cached answers about spaces within a second', async () => {
    const before = await send<Space>(listening, SPACE, { id: spaceId });
    expect(cacheOf(await send(listening, SPACE, { id: spaceId }))).toBe('HIT');

    // Written through the hub's own gateway: only the domain event can tell this cache.
    const name = `${before.data!.space.name} (改装 ${Date.now()})`;
    await rename((q, v, h) => hub.query(q, v, h), name);
    const written = Date.now();

    let fresh: GraphQLResponse<Space>;
    do {
      fresh = await send<Space>(listening, SPACE, { id: spaceId });
    } while (fresh.data?.space.name !== name && Date.now() - written < 1_000);
    expect(fresh.data?.space.name).toBe(name);
    expect(cacheOf(fresh)).toBe('MISS');
  });

  it('a mutation through the gateway purges what it returns at once: the next read sees it', async () => {
    await send<Space>(deaf, SPACE, { id: spaceId });
    expect(cacheOf(await send(deaf, SPACE, { id: spaceId }))).toBe('HIT');

    const name = `屋号変更 ${Date.now()}`;
    await rename((q, v, h) => send(deaf, q, v, h), name);

    const next = await send<Space>(deaf, SPACE, { id: spaceId });
    expect(next.data?.space.name).toBe(name);
    expect(cacheOf(next)).toBe('MISS');
  });

  it('without its event source, a change written elsewhere stays cached until the TTL (why the events matter)', async () => {
    const cached = await send<Space>(deaf, SPACE, { id: spaceId });
    await rename((q, v, h) => hub.query(q, v, h), `${cached.data!.space.name} 二号`);

    const stale = await send<Space>(deaf, SPACE, { id: spaceId });
    expect(cacheOf(stale)).toBe('HIT');
    expect(stale.data).toEqual(cached.data);
  });
});

/** An API key of a partner organisation with the public scope only. */
async function publicPartnerKey(hub: HubStack, admin: Auth): Promise<string> {
  const organization = await hub.query<{ createOrganization: { organization: { id: string } } }>(
    `mutation { createOrganization(input: {
      name: "美唄市 (cache test)", kind: MUNICIPALITY, municipalityCode: "012157"
    }) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { code messageEn } } }`,
    {},
    bearer(admin.accessToken),
  );
  const organizationId = organization.data!.createOrganization.organization.id;
  const granted = await hub.query(
    `mutation ($input: GrantPartnershipInput!) { grantPartnership(input: $input) {
      ... on GrantPartnershipSuccess { partnership { isActive } } ... on Error { code messageEn } } }`,
    {
      input: {
        organizationId,
        basis: 'MUNICIPALITY',
        scopes: ['PUBLIC_READ'],
        purposes: [],
      },
    },
    bearer(admin.accessToken),
  );
  expect(granted.data).toEqual({ grantPartnership: { partnership: { isActive: true } } });
  const key = await hub.query<{ createApiKey: { issuedKey: { secret: string } } }>(
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
      ... on CreateApiKeySuccess { issuedKey { secret } } ... on Error { code messageEn } } }`,
    {
      input: {
        organizationId,
        name: '公開情報',
        scopes: ['PUBLIC_READ'],
      },
    },
    bearer(admin.accessToken),
  );
  expect(key.errors).toBeUndefined();
  return key.data!.createApiKey.issuedKey.secret;
}
