import { waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, refreshed, signInDemo, signUp, sql } from './support/accounts.js';
import { type HubStack, loadDemoData, startHub } from './support/hub.js';

// Matching's work through the real gateway with the demo data (issue 11): candidates, the
// delegation tree, members' assignments, introductions and bad input, each read by people who
// signed in as a client would. Members' own fields (displayName) come from the members subgraph.
let hub: HubStack;

// services/members/seed/demo.json: ネットワンシステムズ orders web work from テレワークセンターしおじり
// (run by KADO), which passes 60 of its 120 hours to Knower(s) led by 松本 亮 (matching's demo flow).
const SHIOJIRI_WEB = '884d6a8f-631b-571f-b922-a2c54e0791e4';
const NETONE = '46991f29-296a-5c5f-b8ef-75a5674fe64b';
const KADO = '09cdbae0-fe1d-5178-ac39-74ba1b6915da';
const MAKOTO = '19e2a418-7ffb-56e4-a5a6-65ecc116b70e'; // KADO staff, web-building 4
const NAOKO = 'fe527496-870f-5a4d-94ba-f54a97875d71'; // KADO worker, 20 hours accepted
const RYO = '9c72a1c0-a367-502f-858a-7144c49fdc61'; // Knower(s) leader
const MAI = '5f9ebcf2-28c1-5445-8f77-5b019bd95c22'; // Knower(s) worker, 30 hours done
const DAIKI = '29ca9bf4-85d5-5f2e-9429-78b1c26fb02f'; // Knower(s) worker, 20 hours accepted
const KENTA = 'f150cace-b135-59bc-963f-8e256dd46792';
const AYA = '5e644055-c75e-5a48-9b71-9f4e18b1eadb';

type Headers = Record<string, string>;
type GraphQLError = { message: string; path?: (string | number)[]; extensions?: { code?: string } };

/** Each error as [code, path]: what a client branches on, sorted so order does not matter. */
const codesOf = (errors: readonly GraphQLError[] | undefined) =>
  (errors ?? []).map((error) => [error.extensions?.code, error.path?.join('.')]).sort();

let sakura: Headers; // 渡部 さくら, coordinator at KADO: staff of the receiving centre
let hubAdmin: Headers;
let stranger: Headers; // signed up today, registered nowhere

beforeAll(async () => {
  hub = await startHub();
  await loadDemoData(hub);
  [sakura, hubAdmin] = await Promise.all([signInDemo(hub, 'sakura'), signInDemo(hub, 'hub-admin')]);
  stranger = bearer((await signUp(hub, '無関係 次郎')).accessToken);
  // Matching learns the demo people from members' events, then its demo-flow job (every 5 s)
  // delegates to Knower(s) and moves the assignments on: wait until the last step has happened.
  await waitFor(
    async () => {
      const response = await hub.query<{
        workOrder: { treeProgress: { delivered: number; accepted: number }[] | null };
      }>(
        'query ($id: ID!) { workOrder(id: $id) { treeProgress { delivered accepted } } }',
        { id: SHIOJIRI_WEB },
        hubAdmin,
      );
      const branch = response.data?.workOrder.treeProgress?.[0];
      return branch?.delivered === 30 && branch.accepted === 50 ? true : undefined;
    },
    { message: "the demo flow's delegation to Knower(s)", timeoutMs: 45_000, intervalMs: 250 },
  );
}, 90_000);

afterAll(() => hub?.stop());

type TCandidate = {
  rank: number;
  score: number;
  member: { id: string; displayName: string };
  parts: { factor: string; weight: number; points: number; explanationEn: string }[];
};

const CANDIDATES = `query ($id: ID!) { workOrder(id: $id) { title
  candidates(first: 10) { rank score member { id displayName } parts { factor weight points explanationEn } }
} }`;

/** What every ranked list promises, whoever reads it. */
function expectWellRanked(candidates: TCandidate[]) {
  expect(candidates.map((candidate) => candidate.rank)).toEqual(
    candidates.map((_, index) => index + 1),
  );
  for (const [index, candidate] of candidates.entries()) {
    expect(candidate.parts.reduce((sum, part) => sum + part.points, 0)).toBe(candidate.score);
    // One part per factor, each explained.
    expect(new Set(candidate.parts.map((part) => part.factor)).size).toBe(candidate.parts.length);
    for (const part of candidate.parts) expect(part.explanationEn).not.toBe('');
    const next = candidates[index + 1];
    if (next) {
      // Highest score first, ties by member id.
      expect(
        candidate.score > next.score ||
          (candidate.score === next.score && candidate.member.id < next.member.id),
      ).toBe(true);
    }
  }
}

describe('WorkOrder.candidates through the gateway', () => {
  it("gives the centre's coordinator its registered workers, named by members, each score its parts' sum", async () => {
    const response = await hub.query<{ workOrder: { title: string; candidates: TCandidate[] } }>(
      CANDIDATES,
      { id: SHIOJIRI_WEB },
      sakura,
    );
    expect(response.errors).toBeUndefined();
    const { candidates } = response.data!.workOrder;
    // KADO's two people with web-building ≥ 2 and hours left; Knower(s)' workers are registered
    // with the partner, not the centre, so they are candidates of the delegated part only.
    expect(
      candidates.map((candidate) => [candidate.member.id, candidate.member.displayName]).sort(),
    ).toEqual(
      [
        [MAKOTO, '伊藤 誠'],
        [NAOKO, '中村 直子'],
      ].sort(),
    );
    expectWellRanked(candidates);
    expect(candidates.every((candidate) => candidate.score > 0)).toBe(true);
  });

  it('refuses an anonymous caller (UNAUTHENTICATED) and an unrelated member (FORBIDDEN), with no candidate', async () => {
    const anonymous = await hub.query<{ workOrder: { title: string; candidates: unknown } }>(
      CANDIDATES,
      { id: SHIOJIRI_WEB },
    );
    // The order itself is public; only its candidates are withheld.
    expect(anonymous.data!.workOrder).toEqual({
      title: 'ウェブサイト構築（デモ）',
      candidates: null,
    });
    expect(codesOf(anonymous.errors)).toEqual([['UNAUTHENTICATED', 'workOrder.candidates']]);

    const foreign = await hub.query<{ workOrder: { candidates: unknown } }>(
      CANDIDATES,
      { id: SHIOJIRI_WEB },
      stranger,
    );
    expect(foreign.data!.workOrder.candidates).toBeNull();
    expect(codesOf(foreign.errors)).toEqual([['FORBIDDEN', 'workOrder.candidates']]);
  });

  it("ranks the delegated part for Knower(s)' leader, not for the centre's coordinator", async () => {
    const QUERY = `query ($id: ID!) { workOrder(id: $id) { children { id
      candidates(first: 10) { rank score member { id displayName } parts { factor weight points explanationEn } }
    } } }`;
    const ryo = await signInDemo(hub, 'ryo');
    const asLeader = await hub.query<{ workOrder: { children: { candidates: TCandidate[] }[] } }>(
      QUERY,
      { id: SHIOJIRI_WEB },
      ryo,
    );
    expect(asLeader.errors).toBeUndefined();
    const [part] = asLeader.data!.workOrder.children;
    expect(part!.candidates.length).toBeGreaterThan(0);
    // Only people registered with Knower(s).
    for (const candidate of part!.candidates) {
      expect([RYO, MAI, DAIKI]).toContain(candidate.member.id);
    }
    expectWellRanked(part!.candidates);

    const asCentre = await hub.query<{ workOrder: { children: { candidates: unknown }[] } }>(
      QUERY,
      { id: SHIOJIRI_WEB },
      sakura,
    );
    expect(asCentre.data!.workOrder.children[0]!.candidates).toBeNull();
    expect(codesOf(asCentre.errors)).toEqual([['FORBIDDEN', 'workOrder.children.0.candidates']]);
  });
});

describe("the Knower(s) delegation's progress through the gateway", () => {
  const TREE = `query ($id: ID!) { workOrder(id: $id) {
    progress { volume delegated allocated accepted delivered }
    treeProgress {
      organization { id name } status volume allocated accepted delivered
      workOrder { delegationNote leader { id displayName } }
    }
  } }`;
  const EXPECTED = {
    // The centre's own share: 60 of 120 hours delegated, 20 offered to and accepted by 直子.
    progress: { volume: 120, delegated: 60, allocated: 20, accepted: 20, delivered: 0 },
    treeProgress: [
      {
        organization: { id: '0251e7d3-bfe0-5237-8244-ec990bac6626', name: 'Knower(s) 運営' },
        status: 'IN_PROGRESS',
        // 舞 30 hours done and delivered, 大輝 20 accepted; 10 not yet distributed.
        volume: 60,
        allocated: 50,
        accepted: 50,
        delivered: 30,
        workOrder: {
          delegationNote: 'トップページ以外の下層ページ制作をお願いします（例示）。',
          leader: { id: RYO, displayName: '松本 亮' },
        },
      },
    ],
  };

  it("shows the client's staff the branch with its leader named by members", async () => {
    // The demo names nobody at ネットワンシステムズ: a new member is made its staff the way an
    // operator would (confirmed affiliation in members' database), then signs in anew.
    const member = await signUp(hub, '発注元 担当');
    await sql(
      hub,
      'members',
      `INSERT INTO affiliation (id, member_id, organization_id, role, starts_on, confirmed_at)
       VALUES (gen_random_uuid(), $1, $2, 'staff', '2020-04-01', now())`,
      [member.member.id, NETONE],
    );
    const client = await refreshed(hub, member);
    const response = await hub.query(TREE, { id: SHIOJIRI_WEB }, client);
    expect(response.errors).toBeUndefined();
    expect(response.data!.workOrder).toEqual(EXPECTED);
  });

  it("shows the centre's coordinator the same, and nobody outside the tree anything", async () => {
    const asCentre = await hub.query(TREE, { id: SHIOJIRI_WEB }, sakura);
    expect(asCentre.errors).toBeUndefined();
    expect(asCentre.data!.workOrder).toEqual(EXPECTED);

    const anonymous = await hub.query(TREE, { id: SHIOJIRI_WEB });
    expect(anonymous.data!.workOrder).toEqual({ progress: null, treeProgress: null });
    expect(codesOf(anonymous.errors)).toEqual([
      ['UNAUTHENTICATED', 'workOrder.progress'],
      ['UNAUTHENTICATED', 'workOrder.treeProgress'],
    ]);
    const foreign = await hub.query(TREE, { id: SHIOJIRI_WEB }, stranger);
    expect(foreign.data!.workOrder).toEqual({ progress: null, treeProgress: null });
    expect(codesOf(foreign.errors)).toEqual([
      ['FORBIDDEN', 'workOrder.progress'],
      ['FORBIDDEN', 'workOrder.treeProgress'],
    ]);
  });
});

describe('Member.assignments through the gateway', () => {
  const ASSIGNMENTS = `query ($id: ID!) { member(id: $id) { displayName
    assignments { totalCount nodes { role status allocatedVolume deliveredVolume workOrder { title } } }
  } }`;
  type TMember = {
    member: { displayName: string; assignments: { totalCount: number; nodes: unknown[] } | null };
  };

  it('lists a demo worker’s own assignments to themself, across the delegation', async () => {
    const naoko = await hub.query<TMember>(
      ASSIGNMENTS,
      { id: NAOKO },
      await signInDemo(hub, 'naoko'),
    );
    expect(naoko.errors).toBeUndefined();
    expect(naoko.data!.member).toEqual({
      displayName: '中村 直子',
      assignments: {
        totalCount: 1,
        nodes: [
          {
            role: 'WORKER',
            status: 'ACCEPTED',
            allocatedVolume: 20,
            deliveredVolume: null,
            workOrder: { title: 'ウェブサイト構築（デモ）' },
          },
        ],
      },
    });
    // 舞 works on the part delegated to Knower(s): done, all 30 hours delivered.
    const mai = await hub.query<TMember>(ASSIGNMENTS, { id: MAI }, await signInDemo(hub, 'mai'));
    expect(mai.errors).toBeUndefined();
    expect(mai.data!.member.assignments).toMatchObject({
      totalCount: 1,
      nodes: [{ role: 'WORKER', status: 'DONE', allocatedVolume: 30, deliveredVolume: 30 }],
    });
  });

  it('gives another member an empty list and an anonymous caller UNAUTHENTICATED', async () => {
    // The kit's rule for a list of someone else's: only what the caller may see — here nothing.
    const foreign = await hub.query<TMember>(ASSIGNMENTS, { id: NAOKO }, stranger);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data!.member).toEqual({
      displayName: '中村 直子',
      assignments: { totalCount: 0, nodes: [] },
    });
    const anonymous = await hub.query<TMember>(ASSIGNMENTS, { id: NAOKO });
    expect(anonymous.data!.member.assignments).toBeNull();
    expect(codesOf(anonymous.errors)).toEqual([['UNAUTHENTICATED', 'member.assignments']]);
  });
});

describe('introductions through the gateway', () => {
  const INTRODUCE = `mutation ($input: IntroduceMembersInput!) { introduceMembers(input: $input) {
    __typename ... on Error { code field }
    ... on IntroduceMembersSuccess { introduction { id organization { name } introducedBy { displayName }
      memberA { id displayName } memberB { id displayName } memberAAnswer memberBAnswer } }
  } }`;
  const ACCEPT = `mutation ($input: AcceptIntroductionInput!) { acceptIntroduction(input: $input) {
    __typename ... on Error { code field } ... on AcceptIntroductionSuccess { introduction { memberAAnswer memberBAnswer } }
  } }`;
  const MINE = `query ($id: ID!) { member(id: $id) { introductions { nodes { id note introducedBy { displayName } } } } }`;
  type TIntroduction = { id: string } & Record<string, unknown>;

  /** Both members see the introduction and accept it, each once. */
  async function bothAccept(introductionId: string, people: [string, Headers][]) {
    for (const [memberId, headers] of people) {
      const mine = await hub.query<{ member: { introductions: { nodes: { id: string }[] } } }>(
        MINE,
        { id: memberId },
        headers,
      );
      expect(mine.errors).toBeUndefined();
      expect(mine.data!.member.introductions.nodes.map((node) => node.id)).toContain(
        introductionId,
      );
    }
    const answers = [];
    for (const [, headers] of people) {
      const accepted = await hub.query(ACCEPT, { input: { introductionId } }, headers);
      expect(accepted.errors).toBeUndefined();
      answers.push(accepted.data);
    }
    // The first member's answer alone, then both.
    expect(answers).toEqual(
      [
        { memberAAnswer: 'ACCEPTED', memberBAnswer: 'PENDING' },
        { memberAAnswer: 'ACCEPTED', memberBAnswer: 'ACCEPTED' },
      ].map((introduction) => ({
        acceptIntroduction: { __typename: 'AcceptIntroductionSuccess', introduction },
      })),
    );
    const again = await hub.query(ACCEPT, { input: { introductionId } }, people[0]![1]);
    expect(again.data).toEqual({
      acceptIntroduction: {
        __typename: 'ConflictError',
        code: 'ALREADY_ANSWERED',
        field: 'input.introductionId',
      },
    });
  }

  it("the centre's coordinator introduces two of its people; both see it and accept", async () => {
    const made = await hub.query<{ introduceMembers: { introduction: TIntroduction } }>(
      INTRODUCE,
      { input: { memberAId: NAOKO, memberBId: MAKOTO, note: 'ウェブ制作の相談相手にどうぞ' } },
      sakura,
    );
    expect(made.errors).toBeUndefined();
    const { introduction } = made.data!.introduceMembers;
    expect(introduction).toEqual({
      id: expect.any(String),
      organization: { name: '一般社団法人塩尻市振興公社 (KADO)' },
      introducedBy: { displayName: '渡部 さくら' },
      memberA: { id: NAOKO, displayName: '中村 直子' },
      memberB: { id: MAKOTO, displayName: '伊藤 誠' },
      memberAAnswer: 'PENDING',
      memberBAnswer: 'PENDING',
    });
    // Someone else neither reads nor answers it.
    const foreign = await hub.query(
      'query ($id: ID!) { introduction(id: $id) { id } }',
      { id: introduction.id },
      stranger,
    );
    expect(foreign).toMatchObject({ data: { introduction: null } });
    expect(foreign.errors).toBeUndefined();
    const foreignAnswer = await hub.query(
      ACCEPT,
      { input: { introductionId: introduction.id } },
      stranger,
    );
    expect(foreignAnswer.data).toMatchObject({
      acceptIntroduction: { __typename: 'NotFoundError', code: 'NOT_FOUND' },
    });
    await bothAccept(introduction.id, [
      [NAOKO, await signInDemo(hub, 'naoko')],
      [MAKOTO, await signInDemo(hub, 'makoto')],
    ]);
  });

  it('a hub admin introduces members of no common organisation; both accept', async () => {
    const made = await hub.query<{ introduceMembers: { introduction: TIntroduction } }>(
      INTRODUCE,
      { input: { memberAId: AYA, memberBId: KENTA, note: 'ウェブショップの件で' } },
      hubAdmin,
    );
    expect(made.errors).toBeUndefined();
    expect(made.data!.introduceMembers.introduction).toMatchObject({
      organization: null,
      introducedBy: { displayName: '北 ハブ管理者' },
      memberA: { displayName: '山本 彩' },
      memberB: { displayName: '田中 健太' },
    });
    await bothAccept(made.data!.introduceMembers.introduction.id, [
      [AYA, await signInDemo(hub, 'aya')],
      [KENTA, await signInDemo(hub, 'kenta')],
    ]);
  });

  it('refuses an unrelated member (FORBIDDEN) and an anonymous caller (UNAUTHENTICATED)', async () => {
    const input = { memberAId: NAOKO, memberBId: MAKOTO, note: '勝手な紹介' };
    const foreign = await hub.query(INTRODUCE, { input }, stranger);
    expect(foreign.data).toBeNull();
    expect(codesOf(foreign.errors)).toEqual([['FORBIDDEN', 'introduceMembers']]);
    const anonymous = await hub.query(INTRODUCE, { input });
    expect(anonymous.data).toBeNull();
    expect(codesOf(anonymous.errors)).toEqual([['UNAUTHENTICATED', 'introduceMembers']]);
  });
});

describe('bad input to matching through the gateway', () => {
  const POST = `mutation ($input: PostWorkOrderInput!) { postWorkOrder(input: $input) {
    __typename ... on Error { code field } ... on PostWorkOrderSuccess { workOrder { id } }
  } }`;
  const order = (title: string, extra: Record<string, unknown>) => ({
    title,
    category: 'DATA_ENTRY',
    clientId: NETONE,
    receivingCentreId: KADO,
    volume: 10,
    volumeUnit: 'UNITS',
    payModel: 'PER_UNIT',
    rate: 30,
    ...extra,
  });
  const written = async (title: string) =>
    (
      await sql<{ count: string }>(
        hub,
        'matching',
        'SELECT count(*) FROM work_order WHERE title = $1',
        [title],
      )
    )[0]!.count;

  it.each([
    ['volume 0', { volume: 0 }, 'input.volume'],
    ['rate -1', { rate: -1 }, 'input.rate'],
  ])(
    'postWorkOrder with %s is an InvalidInputError naming the field, nothing written',
    async (name, extra, field) => {
      const title = `不正な入力 ${name}`;
      const response = await hub.query(POST, { input: order(title, extra) }, sakura);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        postWorkOrder: { __typename: 'InvalidInputError', code: 'BAD_USER_INPUT', field },
      });
      expect(await written(title)).toBe('0');
    },
  );

  // A vanishing hoursPerUnit (1e-7 rounds to 0.00 in the column) once reached the database and
  // came back as INTERNAL_SERVER_ERROR.
  it('postWorkOrder with hoursPerUnit 1e-7 is bad user input, never an internal error', async () => {
    const title = '不正な入力 hoursPerUnit';
    const response = await hub.query(POST, { input: order(title, { hoursPerUnit: 1e-7 }) }, sakura);
    expect(codesOf(response.errors)).toEqual([]);
    expect(response.data).toEqual({
      postWorkOrder: {
        __typename: 'InvalidInputError',
        code: 'BAD_USER_INPUT',
        field: 'input.hoursPerUnit',
      },
    });
    expect(await written(title)).toBe('0');
  });

  it('a page of candidates outside 1–50 is BAD_USER_INPUT naming the argument', async () => {
    for (const first of [0, 51]) {
      const response = await hub.query(
        'query ($id: ID!, $first: Int) { workOrder(id: $id) { candidates(first: $first) { rank } } }',
        { id: SHIOJIRI_WEB, first },
        sakura,
      );
      expect(response.errors?.map((error) => error.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      ]);
    }
  });
});
