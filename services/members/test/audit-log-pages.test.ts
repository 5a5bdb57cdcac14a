import { randomUUID } from 'node:crypto';
import { asAdmin, asMember } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { countStatements, newMember, newPartner, useMembers } from './support/index.js';

// A member's audit log and a partner's history grow with every read: they are connections cut
// in SQL, one statement for all parents of a request, whatever the page.
const hub = useMembers();

type Page = {
  totalCount?: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    endCursor: string | null;
    startCursor: string | null;
  };
  nodes: { id: string; fields: string[] }[];
};
const PAGE = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id fields }';

/** `count` partner reads of a member, one second apart, the newest last; their ids oldest first. */
async function readsOf(memberId: string, count: number, organizationId: string | null = null) {
  const start = Date.parse('2026-12-01T00:00:00Z');
  const ids = Array.from({ length: count }, () => randomUUID());
  await hub.prisma.auditLogEntry.createMany({
    data: ids.map((id, index) => ({
      id,
      at: new Date(start + index * 1000),
      action: 'PARTNER_READ' as const,
      memberId,
      organizationId,
      fields: [`read ${index}`],
    })),
  });
  return ids;
}

let memberA: string;
let memberB: string;
let entriesA: string[];
let entriesB: string[];

beforeAll(async () => {
  memberA = await newMember(hub.prisma);
  memberB = await newMember(hub.prisma);
  entriesA = await readsOf(memberA, 25);
  entriesB = await readsOf(memberB, 3);
});

const newestFirst = (ids: string[]) => [...ids].reverse();

describe('Member.auditLog', () => {
  const LOG = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    member(id: $id) { auditLog(first: $first, after: $after, last: $last, before: $before) {
      totalCount ${PAGE} } } }`;
  const pageOf = async (variables: Record<string, unknown>) => {
    const response = await hub.gql<{ member: { auditLog: Page } }>(
      LOG,
      { id: memberA, ...variables },
      asMember(memberA),
    );
    expect(response.errors).toBeUndefined();
    return response.data!.member.auditLog;
  };

  it('pages forward through every entry, newest first, each once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let round = 0; round < 5; round += 1) {
      const page: Page = await pageOf({ first: 10, after });
      expect(page.totalCount).toBe(25);
      seen.push(...page.nodes.map((node) => node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(newestFirst(entriesA));
  });

  it('pages backward from a cursor with last/before', async () => {
    const first = await pageOf({ first: 12 });
    const back = await pageOf({ last: 5, before: first.pageInfo.endCursor });
    expect(back.nodes.map((node) => node.id)).toEqual(newestFirst(entriesA).slice(6, 11));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const oldest = await pageOf({ last: 3 });
    expect(oldest.nodes.map((node) => node.id)).toEqual(newestFirst(entriesA).slice(22));
    expect(oldest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('defaults to 20 and refuses pages beyond 100 or a cursor that is not one', async () => {
    expect((await pageOf({})).nodes).toHaveLength(20);
    for (const [variables, argument] of [
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const response = await hub.gql(LOG, { id: memberA, ...variables }, asMember(memberA));
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(response.errors?.[0]?.message).toContain(argument);
    }
  });

  it('reads the pages and counts of many members in one statement each', async () => {
    const BOTH = `query($a: ID!, $b: ID!) {
      a: member(id: $a) { auditLog(first: 2) { totalCount ${PAGE} } }
      b: member(id: $b) { auditLog(first: 2) { totalCount ${PAGE} } } }`;
    const { result, statements } = await countStatements(() =>
      hub.gql<{ a: { auditLog: Page }; b: { auditLog: Page } }>(
        BOTH,
        { a: memberA, b: memberB },
        asAdmin(),
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.a.auditLog.nodes.map((node) => node.id)).toEqual(
      newestFirst(entriesA).slice(0, 2),
    );
    expect(result.data!.b.auditLog).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      nodes: newestFirst(entriesB)
        .slice(0, 2)
        .map((id) => ({ id })),
    });
    // The two members, their pages, their counts.
    expect(statements).toBe(3);
  });

  it('is the member’s and hub admins’ only', async () => {
    const response = await hub.gql(LOG, { id: memberA }, asMember(memberB));
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data).toEqual({ member: { auditLog: null } });
  });
});

describe('auditLog(memberId) and Partnership.history', () => {
  it('the admin’s view pages the same entries', async () => {
    const response = await hub.gql<{ auditLog: Page }>(
      `query($id: ID!, $after: String) { auditLog(memberId: $id, first: 3, after: $after) {
        totalCount ${PAGE} } }`,
      { id: memberB, after: null },
      asAdmin(),
    );
    expect(response.data!.auditLog).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: false },
      nodes: newestFirst(entriesB).map((id) => ({ id })),
    });
  });

  it('a partner’s history holds its grant and key events, not the reads of its keys', async () => {
    const partnerId = await newPartner(hub.prisma);
    await readsOf(memberA, 2, partnerId);
    const history = await hub.prisma.auditLogEntry.createManyAndReturn({
      data: [1, 2, 3].map((n) => ({
        at: new Date(Date.parse('2026-12-02T00:00:00Z') + n * 1000),
        action: 'API_KEY_CREATED' as const,
        organizationId: partnerId,
        fields: [`key ${n}`],
      })),
    });
    type History = Omit<Page, 'nodes'> & { nodes: { action: string; fields: string[] }[] };
    const response = await hub.gql<{ organization: { partnership: { history: History } } }>(
      `query($id: ID!) { organization(id: $id) { partnership { history(first: 3) {
        totalCount pageInfo { hasNextPage } nodes { action fields } } } } }`,
      { id: partnerId },
      asAdmin(),
    );
    expect(response.errors).toBeUndefined();
    const page = response.data!.organization.partnership.history;
    // The grant (newPartner's, today) is the newest; the reads of its keys are not history.
    expect(page.totalCount).toBe(4);
    expect(page.nodes.map((node) => [node.action, node.fields[0]])).toEqual([
      ['PARTNERSHIP_GRANTED', expect.any(String)],
      ['API_KEY_CREATED', 'key 3'],
      ['API_KEY_CREATED', 'key 2'],
    ]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(history).toHaveLength(3);
  });
});
