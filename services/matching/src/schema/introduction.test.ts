import { randomUUID } from 'node:crypto';
import {
  connectNatsBus,
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
} from '@hub/event-bus';
import type { Identity } from '@hub/service-kit';
import { asAdmin, asMember, testBuses, waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  silentLogger,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import { japanDate, memberErased } from '../../test/support/member-events.js';
import { isWaiting, openTransaction } from '../../test/support/racing-transaction.js';
import { MEMBER_ERASURE_CONSUMER } from '../events/member-erasure.js';

const buses = testBuses({
  name: 'matching-introduction-test',
  streams: ['members', 'matching'],
  logger: silentLogger,
  connectNatsBus,
  createInProcessBus,
});

const INTRODUCE = `mutation($input: IntroduceMembersInput!) {
  introduceMembers(input: $input) {
    __typename
    ... on IntroduceMembersSuccess { introduction {
      id note memberA { id } memberB { id } introducedBy { id } organization { id }
      memberAAnswer memberBAnswer } }
    ... on Error { code message messageEn field }
  }
}`;

const answer = (
  verb: 'accept' | 'decline',
) => `mutation($input: ${verb === 'accept' ? 'Accept' : 'Decline'}IntroductionInput!) {
  ${verb}Introduction(input: $input) {
    __typename
    ... on ${verb === 'accept' ? 'Accept' : 'Decline'}IntroductionSuccess { introduction { memberAAnswer memberBAnswer } }
    ... on Error { code field }
  }
}`;

describe.each(buses)('introductions ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  const made: EventEnvelope[] = [];

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    await bus.subscribe({
      consumer: `test-introduction-made-${randomUUID()}`,
      types: ['matching.introduction.made'],
      handler: async (event) => {
        made.push(event);
      },
    });
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  async function member(...organizationIds: string[]): Promise<string> {
    const memberId = randomUUID();
    await hub.sql.query(
      `INSERT INTO worker (member_id, display_name, kind, skills, registered_at, source_event_at)
       VALUES ($1, 'テスト', 'freelancer', '[]', now(), now())`,
      [memberId],
    );
    for (const organizationId of organizationIds) {
      await hub.sql.query(
        `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role,
                                         starts_on, source_event_at)
         VALUES ($1, $2, $3, 'worker', '2020-01-01', now())`,
        [randomUUID(), memberId, organizationId],
      );
    }
    return memberId;
  }

  const introduce = (identity: Identity | null, input: Record<string, unknown>) =>
    hub.graphql<{ introduceMembers: Record<string, unknown> | null }>(
      INTRODUCE,
      { input },
      identity,
    );

  const introductionsOf = (memberId: string, identity: Identity) =>
    hub.graphql<{
      _entities: { introductions: { totalCount: number; nodes: { id: string }[] } | null }[];
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Member { introductions(first: 10) { totalCount nodes { id } } } } }`,
      { r: [{ __typename: 'Member', id: memberId }] },
      identity,
    );

  it('staff of an organisation both are registered with introduce them; both see it and answer once', async () => {
    const organizationId = randomUUID();
    const [a, b] = [await member(organizationId), await member(organizationId)];
    const coordinatorId = randomUUID();
    const coordinator = asMember(coordinatorId, {
      staffOf: [{ organizationId, role: 'coordinator' }],
    });
    const response = await introduce(coordinator, {
      memberAId: a,
      memberBId: b,
      note: 'お二人とも地域の観光サイトに関心があります',
    });
    expect(response.errors).toBeUndefined();
    const introduction = (response.data!.introduceMembers as { introduction: { id: string } })
      .introduction;
    expect(introduction).toEqual({
      id: expect.any(String),
      note: 'お二人とも地域の観光サイトに関心があります',
      memberA: { id: a },
      memberB: { id: b },
      introducedBy: { id: coordinatorId },
      organization: { id: organizationId },
      memberAAnswer: 'PENDING',
      memberBAnswer: 'PENDING',
    });
    const event = await waitFor(() => made.find((e) => e.subject === introduction.id), {
      message: 'introduction.made',
      timeoutMs: 10_000,
    });
    expect(event.data).toEqual({
      introductionId: introduction.id,
      memberAId: a,
      memberBId: b,
      introducedById: coordinatorId,
      organizationId,
    });

    // The two and the introducer read it; nobody else (a hub admin included).
    const read = async (identity: Identity) =>
      (
        await hub.graphql<{ introduction: { id: string } | null }>(
          'query($id: ID!) { introduction(id: $id) { id } }',
          { id: introduction.id },
          identity,
        )
      ).data!.introduction;
    for (const reader of [a, b, coordinatorId]) {
      expect(await read(asMember(reader))).toEqual({ id: introduction.id });
    }
    expect(await read(asMember(randomUUID()))).toBeNull();
    expect(await read(asAdmin())).toBeNull();
    for (const reader of [a, b]) {
      expect(
        (await introductionsOf(reader, asMember(reader))).data!._entities[0]!.introductions,
      ).toEqual({
        totalCount: 1,
        nodes: [{ id: introduction.id }],
      });
    }
    const foreign = await introductionsOf(a, asMember(b));
    expect(foreign.data!._entities[0]!.introductions).toBeNull();
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Each answers once: a second answer is ALREADY_ANSWERED, a stranger's NOT_FOUND.
    const send = (verb: 'accept' | 'decline', memberId: string) =>
      hub.graphql<Record<string, Record<string, unknown>>>(
        answer(verb),
        { input: { introductionId: introduction.id } },
        asMember(memberId),
      );
    expect((await send('accept', a)).data!.acceptIntroduction).toEqual({
      __typename: 'AcceptIntroductionSuccess',
      introduction: { memberAAnswer: 'ACCEPTED', memberBAnswer: 'PENDING' },
    });
    expect((await send('decline', a)).data!.declineIntroduction).toEqual({
      __typename: 'ConflictError',
      code: 'ALREADY_ANSWERED',
      field: 'input.introductionId',
    });
    expect((await send('decline', b)).data!.declineIntroduction).toEqual({
      __typename: 'DeclineIntroductionSuccess',
      introduction: { memberAAnswer: 'ACCEPTED', memberBAnswer: 'DECLINED' },
    });
    expect((await send('accept', b)).data!.acceptIntroduction).toMatchObject({
      code: 'ALREADY_ANSWERED',
    });
    expect((await send('accept', coordinatorId)).data!.acceptIntroduction).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.introductionId',
    });
  });

  /** A space matching knows from spaces' events, run by `operatorId`. */
  async function space(operatorId: string): Promise<string> {
    const spaceId = randomUUID();
    await hub.sql.query(
      `INSERT INTO space (space_id, name, kind, status, municipality_code, operator_id,
                          source_event_at)
       VALUES ($1, 'テスト拠点', 'coworking', 'open', '202151', $2, now())`,
      [spaceId, operatorId],
    );
    return spaceId;
  }

  /** A home membership of the space from `startsOn` (to `endsOn`, inclusive, when given). */
  async function homeAt(
    memberId: string,
    spaceId: string,
    { startsOn = '2020-01-01', endsOn = null }: { startsOn?: string; endsOn?: string | null } = {},
  ) {
    await hub.sql.query(
      `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
                               starts_on, ends_on, source_event_at)
       VALUES ($1, $2, $3, '202151', 'monthly', $4, $5, now())`,
      [randomUUID(), memberId, spaceId, startsOn, endsOn],
    );
  }

  const organizationOf = (response: { data?: { introduceMembers: unknown } | null }) =>
    (response.data?.introduceMembers as { introduction?: { organization: { id: string } | null } })
      ?.introduction?.organization;

  it('staff of the operator of a space both members call home today introduce them; the operator is recorded', async () => {
    const operatorId = randomUUID();
    const spaceId = await space(operatorId);
    const [a, b] = [await member(), await member()];
    await homeAt(a, spaceId);
    await homeAt(b, spaceId);
    const operatorStaff = asMember(randomUUID(), {
      staffOf: [{ organizationId: operatorId, role: 'staff' }],
    });
    const response = await introduce(operatorStaff, { memberAId: a, memberBId: b, note: 'n' });
    expect(response.errors).toBeUndefined();
    expect(organizationOf(response)).toEqual({ id: operatorId });
    const introductionId = (response.data!.introduceMembers as { introduction: { id: string } })
      .introduction.id;
    const event = await waitFor(() => made.find((e) => e.subject === introductionId), {
      message: 'introduction.made',
      timeoutMs: 10_000,
    });
    expect(event.data).toMatchObject({ organizationId: operatorId });

    // Staff of both the operator and an organisation both are registered with: the operator.
    const registeredWith = randomUUID();
    const [c, d] = [await member(registeredWith), await member(registeredWith)];
    await homeAt(c, spaceId);
    await homeAt(d, spaceId);
    const both = asMember(randomUUID(), {
      staffOf: [
        { organizationId: registeredWith, role: 'coordinator' },
        { organizationId: operatorId, role: 'staff' },
      ],
    });
    expect(
      organizationOf(await introduce(both, { memberAId: c, memberBId: d, note: 'n' })),
    ).toEqual({ id: operatorId });
  });

  it('refuses operator staff unless both members call one of its spaces home today', async () => {
    const operatorId = randomUUID();
    const [spaceId, otherSpaceId] = [await space(operatorId), await space(operatorId)];
    const foreignSpaceId = await space(randomUUID());
    const a = await member();
    await homeAt(a, spaceId);
    // b: homed at another of the operator's spaces; ended: left yesterday; future: starts
    // tomorrow; foreign: at another operator's space.
    const [b, ended, future, foreign] = [
      await member(),
      await member(),
      await member(),
      await member(),
    ];
    await homeAt(b, otherSpaceId);
    await homeAt(ended, spaceId, { endsOn: japanDate(-1) });
    await homeAt(future, spaceId, { startsOn: japanDate(1) });
    await homeAt(foreign, foreignSpaceId);
    const before = await countRows(hub.sql, 'introduction');
    const operatorStaff = asMember(randomUUID(), {
      staffOf: [{ organizationId: operatorId, role: 'staff' }],
    });
    for (const other of [b, ended, future, foreign, randomUUID()]) {
      const refused = await introduce(operatorStaff, { memberAId: a, memberBId: other, note: 'n' });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // Members of the same space, and staff of another operator, may not introduce them either.
    const c = await member();
    await homeAt(c, spaceId);
    for (const identity of [
      asMember(c),
      asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
    ]) {
      const refused = await introduce(identity, { memberAId: a, memberBId: c, note: 'n' });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await countRows(hub.sql, 'introduction')).toBe(before);
    expect(
      organizationOf(await introduce(operatorStaff, { memberAId: a, memberBId: c, note: 'n' })),
    ).toEqual({ id: operatorId });
  });

  it('answers at once from both sides never count twice', async () => {
    const organizationId = randomUUID();
    const [a, b] = [await member(organizationId), await member(organizationId)];
    const response = await introduce(
      asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] }),
      { memberAId: a, memberBId: b, note: 'n' },
    );
    const id = (response.data!.introduceMembers as { introduction: { id: string } }).introduction
      .id;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        hub.graphql<Record<string, { __typename: string; code?: string }>>(
          answer('accept'),
          { input: { introductionId: id } },
          asMember(i % 2 === 0 ? a : b),
        ),
      ),
    );
    const kinds = results.map((r) => r.data!.acceptIntroduction!.__typename ?? r.errors);
    expect(kinds.filter((k) => k === 'AcceptIntroductionSuccess')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'ConflictError')).toHaveLength(4);
  });

  it('refuses others, one member twice and unknown members, writing nothing', async () => {
    const organizationId = randomUUID();
    const other = randomUUID();
    const a = await member(organizationId);
    const b = await member(other);
    const both = await member(organizationId);
    const before = await countRows(hub.sql, 'introduction');
    const outboxBefore = await countRows(hub.sql, 'outbox_event');
    const staff = asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] });
    // b is not registered with the staff's organisation; a plain member; an unrelated staff.
    for (const identity of [
      staff,
      asMember(a),
      asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
    ]) {
      const refused = await introduce(identity, { memberAId: a, memberBId: b, note: 'n' });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await introduce(null, { memberAId: a, memberBId: both, note: 'n' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(
      (await introduce(staff, { memberAId: a, memberBId: a, note: 'n' })).data!.introduceMembers,
    ).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.memberBId',
    });
    expect(
      (await introduce(staff, { memberAId: a, memberBId: both, note: '  ' })).data!
        .introduceMembers,
    ).toMatchObject({ __typename: 'InvalidInputError', field: 'input.note' });
    // A hub admin may introduce anyone matching knows; a member it does not is NOT_FOUND.
    expect(
      (await introduce(asAdmin(), { memberAId: a, memberBId: randomUUID(), note: 'n' })).data!
        .introduceMembers,
    ).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'input.memberBId' });
    expect(await countRows(hub.sql, 'introduction')).toBe(before);
    expect(await countRows(hub.sql, 'outbox_event')).toBe(outboxBefore);
    const byAdmin = await introduce(asAdmin(), { memberAId: a, memberBId: b, note: 'n' });
    expect(byAdmin.data!.introduceMembers).toMatchObject({
      __typename: 'IntroduceMembersSuccess',
      introduction: { organization: null },
    });
  });

  it('erasing a member deletes their introductions and help requests', async () => {
    const organizationId = randomUUID();
    const [a, b] = [await member(organizationId), await member(organizationId)];
    await introduce(asMember(randomUUID(), { staffOf: [{ organizationId, role: 'staff' }] }), {
      memberAId: a,
      memberBId: b,
      note: 'n',
    });
    await hub.graphql(
      `mutation { createHelpRequest(input: { title: "t", skills: [{ code: "video", minLevel: 1 }] }) { __typename } }`,
      {},
      asMember(a),
    );
    // Before the erasure, the member's export holds both (the member and hub admins read it).
    const exported = await hub.graphql<{
      _entities: {
        matching: { helpRequests: unknown[]; introductions: { memberAId: string }[] };
      }[];
    }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { matching } } }',
      { r: [{ __typename: 'DataExport', memberId: a }] },
      asMember(a),
    );
    expect(exported.errors).toBeUndefined();
    const { matching } = exported.data!._entities[0]!;
    expect(matching.helpRequests).toHaveLength(1);
    expect(matching.introductions).toEqual([expect.objectContaining({ memberAId: a })]);

    const erased = memberErased(a);
    await bus.publish(erased);
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
          MEMBER_ERASURE_CONSUMER,
          erased.id,
        ])) === 1 || undefined,
      { message: 'erasure handled', timeoutMs: 10_000 },
    );
    expect(
      await countRows(hub.sql, 'introduction', 'member_a_id = $1 OR member_b_id = $1', [a]),
    ).toBe(0);
    expect(await countRows(hub.sql, 'help_request', 'asker_id = $1', [a])).toBe(0);
    expect(
      (await introductionsOf(b, asMember(b))).data!._entities[0]!.introductions!.totalCount,
    ).toBe(0);
  });

  it('waits for an erasure in flight and then refuses to name the erased member', async () => {
    const [a, b] = [await member(), await member()];
    // What the erasure does, under the member's lock, not yet committed.
    const erasure = await openTransaction(hub.sql);
    await erasure.lockMember(b);
    await erasure.client.query('DELETE FROM worker WHERE member_id = $1', [b]);
    await erasure.client.query(
      'INSERT INTO erased_member (member_id, erased_at) VALUES ($1, now())',
      [b],
    );
    const pending = introduce(asAdmin(), { memberAId: a, memberBId: b, note: 'n' });
    // The checks before the transaction still see b; only the lock stops a row naming them.
    expect(await isWaiting(pending)).toBe(true);
    await erasure.commit();
    const refused = await pending;
    expect(refused.data!.introduceMembers).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.memberBId',
    });
    expect(
      await countRows(hub.sql, 'introduction', 'member_a_id = $1 OR member_b_id = $1', [b]),
    ).toBe(0);
  });
});
