import { readFileSync } from 'node:fs';
import { IDENTITY_HEADER, type MemberIdentity, verifyForwardedIdentity } from '@hub/identity';
import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../faults/config.js';
import { hiveIdentityHeaders, identityOfToken } from './members.js';
import { localSupergraph } from './peers.js';
import { parseRssBytes, parseStat, treeUsage } from './process-stats.js';
import { nextVariedRequest, type VariedPools } from './queries.js';
import { firstDifference, ratio, summarize } from './report.js';

// The pure parts of `npm run bench gateways`; the suite itself is run by hand (it takes minutes).

describe('process stats', () => {
  it('reads ppid and user + system CPU from a stat line whose name has spaces and parentheses', () => {
    const line =
      '4242 (node (hive) x) S 4200 4242 4200 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 1 1 1';
    expect(parseStat(line)).toEqual({ ppid: 4200, cpuMs: 3000 });
  });

  it('reads VmRSS in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t  204800 kB\nThreads:\t11\n')).toBe(204800 * 1024);
    expect(parseRssBytes('Name:\tzombie\n')).toBe(0);
  });

  it('measures this very process', () => {
    const usage = treeUsage(process.pid);
    expect(usage.cpuMs).toBeGreaterThan(0);
    expect(usage.rssBytes).toBeGreaterThan(10 * 2 ** 20);
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the varied mix', () => {
  const pools: VariedPools = {
    spaceIds: ['s1', 's2', 's3'],
    spaceCursors: ['c1', 'c2'],
    municipalityCodes: ['011002'],
    prefectures: ['北海道'],
    memberCount: 20,
  };
  const draws = (seed: number, count: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: count }, () => nextVariedRequest(random, pools));
  };

  it('sends every gateway the same sequence for the same seed', () => {
    expect(draws(9, 50)).toEqual(draws(9, 50));
    expect(draws(9, 50)).not.toEqual(draws(10, 50));
  });

  it('draws all three kinds, from the pools only, members only for `me`', () => {
    const requests = draws(9, 600);
    expect(new Set(requests.map((request) => request.kind))).toEqual(
      new Set(['space', 'spaces', 'me']),
    );
    for (const request of requests) {
      if (request.kind === 'me') {
        expect(request.member).toBeGreaterThanOrEqual(0);
        expect(request.member).toBeLessThan(20);
      } else {
        expect(request.member).toBeNull();
      }
      if (request.kind === 'space') {
        const id = request.body.variables.id as string;
        if (!pools.spaceIds.includes(id)) expect(id).toMatch(UUID);
      }
      if (request.kind === 'spaces') {
        const { first, after } = request.body.variables as { first: number; after: unknown };
        expect(first).toBeGreaterThanOrEqual(1);
        expect(first).toBeLessThanOrEqual(100);
        expect([null, ...pools.spaceCursors]).toContain(after);
      }
    }
    // Known spaces and unknown ids both.
    const ids = requests.flatMap((request) =>
      request.kind === 'space' ? [request.body.variables.id as string] : [],
    );
    expect(ids.some((id) => pools.spaceIds.includes(id))).toBe(true);
    expect(ids.some((id) => !pools.spaceIds.includes(id))).toBe(true);
    // Twenty members in the mix: every one of them is used.
    expect(new Set(requests.map((request) => request.member)).size).toBe(21);
  });
});

describe('identities sent to Hive Gateway', () => {
  const member: MemberIdentity = {
    kind: 'member',
    memberId: '0194f3a0-0000-7000-8000-000000000001',
    sessionId: '0194f3a0-0000-7000-8000-000000000002',
    roles: [],
    staffOf: [],
  };

  it('signs the identity the project gateway would forward, one header per caller, reused', () => {
    const headersFor = hiveIdentityHeaders('bench-secret-0123456789abcdef', () => 1_000_000);
    const first = headersFor(member)[IDENTITY_HEADER]!;
    expect(verifyForwardedIdentity(first, 'bench-secret-0123456789abcdef')).toEqual({
      identity: member,
      clientAddress: '127.0.0.1',
    });
    expect(headersFor(member)[IDENTITY_HEADER]).toBe(first);
    const anonymous = headersFor(null)[IDENTITY_HEADER]!;
    expect(verifyForwardedIdentity(anonymous, 'bench-secret-0123456789abcdef').identity).toBeNull();
    const other = headersFor({ ...member, memberId: '0194f3a0-0000-7000-8000-000000000003' });
    expect(
      verifyForwardedIdentity(other[IDENTITY_HEADER]!, 'bench-secret-0123456789abcdef'),
    ).toMatchObject({
      identity: { memberId: '0194f3a0-0000-7000-8000-000000000003' },
    });
  });

  it('reads the member of an access token from its payload', () => {
    const payload = Buffer.from(
      JSON.stringify({ sub: member.memberId, sid: member.sessionId, roles: [], staffOf: [] }),
    ).toString('base64url');
    expect(identityOfToken(`e30.${payload}.sig`)).toEqual(member);
  });
});

describe('the supergraph Hive Gateway reads', () => {
  it('points every routing URL of the committed supergraph at the bench subgraphs', () => {
    const sdl = readFileSync(
      new URL('../../../gateway/supergraph.graphql', import.meta.url),
      'utf8',
    );
    const urls = Object.fromEntries(
      ['spaces', 'members', 'events', 'matching', 'support-programs'].map((name, i) => [
        name,
        `http://127.0.0.1:${5000 + i}/graphql`,
      ]),
    );
    const local = localSupergraph(sdl, urls);
    const routed = [...local.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)];
    expect(routed.length).toBe(5);
    for (const [, name, url] of routed) expect(url).toBe(urls[name!]);
    expect(() => localSupergraph(sdl, { spaces: 'http://x/graphql' })).toThrow(/no URL/);
  });
});

describe('figures', () => {
  it('averages rates and percentiles over runs and divides all CPU by all requests', () => {
    const summary = summarize([
      {
        requests: 1000,
        durationS: 10,
        p50: 10,
        p99: 40,
        errors: 0,
        cpuMs: 1000,
        peakRssBytes: 100 * 2 ** 20,
      },
      {
        requests: 3000,
        durationS: 10,
        p50: 20,
        p99: 60,
        errors: 1,
        cpuMs: 2000,
        peakRssBytes: 150 * 2 ** 20,
      },
    ]);
    expect(summary).toEqual({
      runs: 2,
      reqPerS: 200,
      p50: 15,
      p99: 50,
      errors: 1,
      cpuMsPerRequest: 0.75,
      peakRssMb: 150,
    });
    expect(
      summarize([{ requests: 10, durationS: 1, p50: 1, p99: 2, errors: 0 }]),
    ).not.toHaveProperty('cpuMsPerRequest');
  });

  it('formats ratios and names the first differing byte', () => {
    expect(ratio(150, 100)).toBe('1.50×');
    expect(ratio(1, 0)).toBe('–');
    expect(ratio(undefined, 3)).toBe('–');
    expect(firstDifference('{"a":1}', '{"a":1}')).toBeUndefined();
    expect(firstDifference('{"a":1}', '{"a":2}')).toMatch(/^at byte 5:/);
  });
});
