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
import { japanDate, memberRegistered, profileUpdated } from '../../test/support/member-events.js';
import { WORKER_READ_MODEL_CONSUMER } from '../events/worker-read-model.js';

// Matching publishes its own events here, so both streams are needed on NATS.
const buses = testBuses({
  name: 'matching-help-test',
  streams: ['members', 'matching'],
  logger: silentLogger,
  connectNatsBus,
  createInProcessBus,
});

const CREATE = `mutation($input: CreateHelpRequestInput!) {
  createHelpRequest(input: $input) {
    __typename
    ... on CreateHelpRequestSuccess { helpRequest { id title status visibleTo skills { code minLevel } asker { id } } }
    ... on Error { code message messageEn field }
  }
}`;

const SUGGESTIONS = `query($id: ID!, $first: Int) {
  helpRequest(id: $id) {
    id
    suggestions(first: $first) { rank score member { id } parts { factor points explanation explanationEn } }
  }
}`;

type TSuggestion = {
  rank: number;
  score: number;
  member: { id: string };
  parts: { factor: string; points: number; explanation: string; explanationEn: string }[];
};

describe.each(buses)('help requests and suggestions ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;
  const opened: EventEnvelope[] = [];

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    await bus.subscribe({
      consumer: `test-help-opened-${randomUUID()}`,
      types: ['matching.help-request.opened'],
      handler: async (event) => {
        opened.push(event);
      },
    });
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  /** A worker row as the read model holds it (skills with isVerified, a visibility). */
  async function worker(options: {
    skills: { code: string; level: number; isVerified?: boolean }[];
    visibility: 'PUBLIC' | 'MEMBERS' | 'STAFF' | null;
    municipalityCode?: string | null;
  }): Promise<string> {
    const memberId = randomUUID();
    await hub.sql.query(
      `INSERT INTO worker (member_id, display_name, kind, municipality_code, skills,
                           profile_visibility, registered_at, source_event_at)
       VALUES ($1, 'テスト', 'freelancer', $2, $3::jsonb, $4, now(), now())`,
      [
        memberId,
        options.municipalityCode ?? null,
        JSON.stringify(options.skills.map((s) => ({ isVerified: false, ...s }))),
        options.visibility,
      ],
    );
    return memberId;
  }

  async function affiliate(memberId: string, organizationId: string) {
    await hub.sql.query(
      `INSERT INTO worker_affiliation (affiliation_id, member_id, organization_id, role, starts_on,
                                       source_event_at)
       VALUES ($1, $2, $3, 'worker', '2020-01-01', now())`,
      [randomUUID(), memberId, organizationId],
    );
    // As the consumer does: the ranking feed's referral graph reads affiliations by this note.
    await hub.sql.query('INSERT INTO ranking_change (member_id) VALUES ($1)', [memberId]);
  }

  async function create(identity: Identity | null, input: Record<string, unknown>) {
    return hub.graphql<{ createHelpRequest: Record<string, unknown> }>(CREATE, { input }, identity);
  }

  async function openRequest(askerId: string, input: Record<string, unknown> = {}) {
    const response = await create(asMember(askerId), {
      title: 'ECサイトを試したい',
      description: '地元の野菜を売るサイトを作ってみたい',
      skills: [
        { code: 'web-design', minLevel: 3 },
        { code: 'writing', minLevel: 2 },
      ],
      municipalityCode: '202151',
      ...input,
    });
    expect(response.errors).toBeUndefined();
    return (response.data!.createHelpRequest.helpRequest as { id: string }).id;
  }

  async function suggestions(id: string, identity: Identity, first = 20) {
    const response = await hub.graphql<{
      helpRequest: { suggestions: TSuggestion[] | null } | null;
    }>(SUGGESTIONS, { id, first }, identity);
    return response;
  }

  it('opens a request as the signed-in member and announces it', async () => {
    const askerId = randomUUID();
    const response = await create(asMember(askerId), {
      title: '動画で観光案内',
      skills: [{ code: 'video', minLevel: 2 }],
      visibleTo: 'MEMBERS',
    });
    expect(response.errors).toBeUndefined();
    const request = response.data!.createHelpRequest as {
      __typename: string;
      helpRequest: { id: string };
    };
    expect(request).toEqual({
      __typename: 'CreateHelpRequestSuccess',
      helpRequest: {
        id: expect.any(String),
        title: '動画で観光案内',
        status: 'OPEN',
        visibleTo: 'MEMBERS',
        skills: [{ code: 'video', minLevel: 2 }],
        asker: { id: askerId },
      },
    });
    const event = await waitFor(() => opened.find((e) => e.subject === request.helpRequest.id), {
      message: 'help-request.opened',
      timeoutMs: 10_000,
    });
    expect(event.data).toEqual({
      helpRequestId: request.helpRequest.id,
      askerId,
      visibleTo: 'members',
      skills: [{ code: 'video', minLevel: 2 }],
      municipalityCode: null,
      spaceId: null,
    });
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const askerId = randomUUID();
    const before = await countRows(hub.sql, 'help_request');
    const outboxBefore = await countRows(hub.sql, 'outbox_event');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ skills: [] }, 'BAD_USER_INPUT', 'input.skills'],
      [
        {
          skills: [
            { code: 'video', minLevel: 2 },
            { code: 'video', minLevel: 3 },
          ],
        },
        'BAD_USER_INPUT',
        'input.skills',
      ],
      [{ title: '   ' }, 'BAD_USER_INPUT', 'input.title'],
      [{ municipalityCode: '202152' }, 'INVALID_MUNICIPALITY_CODE', 'input.municipalityCode'],
    ];
    for (const [input, code, field] of cases) {
      const response = await create(asMember(askerId), {
        title: 't',
        skills: [{ code: 'video', minLevel: 2 }],
        ...input,
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!.createHelpRequest).toMatchObject({
        __typename: 'InvalidInputError',
        code,
        field,
        message: expect.any(String),
        messageEn: expect.any(String),
      });
    }
    // A level out of range is the kit's refusal, before anything runs.
    const outOfRange = await create(asMember(askerId), {
      title: 't',
      skills: [{ code: 'video', minLevel: 6 }],
    });
    expect(outOfRange.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const anonymous = await create(null, { title: 't', skills: [{ code: 'video', minLevel: 2 }] });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await countRows(hub.sql, 'help_request')).toBe(before);
    expect(await countRows(hub.sql, 'outbox_event')).toBe(outboxBefore);
  });

  it('is read by the asker and hub admins, by other members only when visibleTo is MEMBERS', async () => {
    const askerId = randomUUID();
    const privateId = await openRequest(askerId);
    const sharedId = await openRequest(askerId, { visibleTo: 'MEMBERS' });
    const read = async (id: string, identity: Identity | null) =>
      (
        await hub.graphql<{ helpRequest: { id: string } | null }>(
          'query($id: ID!) { helpRequest(id: $id) { id } }',
          { id },
          identity,
        )
      ).data!.helpRequest?.id ?? null;
    const other = asMember(randomUUID());
    expect(await read(privateId, asMember(askerId))).toBe(privateId);
    expect(await read(privateId, asAdmin())).toBe(privateId);
    expect(await read(privateId, other)).toBeNull();
    expect(await read(privateId, null)).toBeNull();
    expect(await read(sharedId, other)).toBe(sharedId);
    expect(await read(sharedId, null)).toBeNull();
    // Suggestions are the asker's alone, even where the request is readable.
    const foreign = await suggestions(sharedId, other);
    expect(foreign.data!.helpRequest).toEqual({ id: sharedId, suggestions: null });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The member's own list: the member and hub admins.
    const list = (identity: Identity) =>
      hub.graphql<{
        _entities: { helpRequests: { totalCount: number; nodes: { id: string }[] } | null }[];
      }>(
        `query($r: [_Any!]!) { _entities(representations: $r) {
           ... on Member { helpRequests(first: 10) { totalCount nodes { id } } } } }`,
        { r: [{ __typename: 'Member', id: askerId }] },
        identity,
      );
    expect((await list(asMember(askerId))).data!._entities[0]!.helpRequests).toEqual({
      totalCount: 2,
      nodes: [{ id: sharedId }, { id: privateId }],
    });
    expect((await list(asAdmin())).data!._entities[0]!.helpRequests?.totalCount).toBe(2);
    const refused = await list(other);
    expect(refused.data!._entities[0]!.helpRequests).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('suggests only members whose profile the asker may read, best first, each explained', async () => {
    const askerId = await worker({
      skills: [{ code: 'writing', level: 4 }],
      visibility: 'PUBLIC',
      municipalityCode: '202151',
    });
    const verified = await worker({
      skills: [{ code: 'web-design', level: 4, isVerified: true }],
      visibility: 'PUBLIC',
    });
    const local = await worker({
      skills: [{ code: 'web-design', level: 3 }],
      visibility: 'MEMBERS',
      municipalityCode: '202151',
    });
    const staffOnly = await worker({
      skills: [{ code: 'web-design', level: 5, isVerified: true }],
      visibility: 'STAFF',
      municipalityCode: '202151',
    });
    const unknownVisibility = await worker({
      skills: [{ code: 'web-design', level: 5, isVerified: true }],
      visibility: null,
    });
    const writerOnly = await worker({
      skills: [{ code: 'writing', level: 5 }],
      visibility: 'PUBLIC',
    });
    const novice = await worker({
      skills: [{ code: 'web-design', level: 2 }],
      visibility: 'PUBLIC',
    });
    const requestId = await openRequest(askerId);

    const response = await suggestions(requestId, asMember(askerId));
    expect(response.errors).toBeUndefined();
    const list = response.data!.helpRequest!.suggestions!;
    const ids = list.map((s) => s.member.id);
    // Only the two readable helpers — other tests' workers may need other skills, never these.
    const mine = ids.filter((id) =>
      [verified, local, staffOnly, unknownVisibility, writerOnly, novice].includes(id),
    );
    expect(mine).toEqual([verified, local]);
    for (const suggestion of list) {
      expect(suggestion.parts.reduce((sum, part) => sum + part.points, 0)).toBe(suggestion.score);
    }
    const byId = new Map(list.map((s) => [s.member.id, s]));
    expect(byId.get(verified)!.parts).toEqual([
      {
        factor: 'COMPLEMENTARY_SKILLS',
        points: 20 + 3 + 10,
        explanation: 'あなたに足りないスキルを持っています: web-design レベル4 (必要 3・確認済み)',
        explanationEn: 'has skills you lack: web-design level 4 (needed 3, verified)',
      },
    ]);
    expect(byId.get(local)!.parts.map((p) => [p.factor, p.points])).toEqual([
      ['COMPLEMENTARY_SKILLS', 20],
      ['SAME_PLACE', 10],
    ]);
    expect(byId.get(verified)!.rank).toBeLessThan(byId.get(local)!.rank);
    // A page of one is the best of them.
    const top = await suggestions(requestId, asMember(askerId), 1);
    expect(top.data!.helpRequest!.suggestions!.map((s) => s.rank)).toEqual([1]);
  });

  it('never shows a STAFF-visibility member to an unrelated asker; staff of their organisation see them', async () => {
    const organizationId = randomUUID();
    // The member's facts arrive by members' events, the setting with them.
    const registered = memberRegistered();
    const memberId = registered.subject;
    const updated = profileUpdated(memberId, {
      skills: [{ code: 'translation', level: 5, isVerified: true }],
      profileVisibility: 'staff',
      changed: ['skills', 'profileVisibility'],
    });
    await bus.publish(registered);
    await bus.publish(updated);
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
          WORKER_READ_MODEL_CONSUMER,
          updated.id,
        ])) === 1 || undefined,
      { message: 'profile-updated applied', timeoutMs: 10_000 },
    );
    const [row] = (
      await hub.sql.query('SELECT profile_visibility FROM worker WHERE member_id = $1', [memberId])
    ).rows;
    expect(row).toEqual({ profile_visibility: 'STAFF' });
    await affiliate(memberId, organizationId);

    const unrelated = randomUUID();
    const request = await openRequest(unrelated, {
      skills: [{ code: 'translation', minLevel: 3 }],
    });
    const seen = (await suggestions(request, asMember(unrelated))).data!.helpRequest!.suggestions!;
    expect(seen.map((s) => s.member.id)).not.toContain(memberId);
    // The same rule as reading the worker: their skills are refused to the unrelated member.
    const skillsOf = (identity: Identity) =>
      hub.graphql<{ worker: { skills: { code: string }[] | null } }>(
        'query($id: ID!) { worker(memberId: $id) { skills { code } } }',
        { id: memberId },
        identity,
      );
    const refusedSkills = await skillsOf(asMember(unrelated));
    expect(refusedSkills.data!.worker.skills).toBeNull();
    expect(refusedSkills.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const collaborators = await hub.graphql<{
      _entities: { suggestedCollaborators: TSuggestion[] | null }[];
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Member { suggestedCollaborators(first: 20) { member { id } score } } } }`,
      { r: [{ __typename: 'Member', id: unrelated }] },
      asMember(unrelated),
    );
    expect(collaborators.errors).toBeUndefined();
    expect(
      collaborators.data!._entities[0]!.suggestedCollaborators!.map((s) => s.member.id),
    ).not.toContain(memberId);

    // Staff of the organisation the member is registered with may read the profile: they see
    // them for their own request.
    const staffId = randomUUID();
    const staffRequest = await openRequest(staffId, {
      skills: [{ code: 'translation', minLevel: 3 }],
    });
    const staff = asMember(staffId, { staffOf: [{ organizationId, role: 'coordinator' }] });
    const staffSees = (await suggestions(staffRequest, staff)).data!.helpRequest!.suggestions!;
    expect(staffSees.map((s) => s.member.id)).toContain(memberId);

    // Turning the profile public (a newer event) lets every member's suggestions find them.
    const opened = profileUpdated(memberId, {
      skills: [{ code: 'translation', level: 5, isVerified: true }],
      profileVisibility: 'members',
      changed: ['profileVisibility'],
    });
    await bus.publish(opened);
    await waitFor(
      async () =>
        (await suggestions(request, asMember(unrelated))).data!.helpRequest!.suggestions!.some(
          (s) => s.member.id === memberId,
        ) || undefined,
      { message: 'visible after MEMBERS', timeoutMs: 10_000 },
    );
    expect((await skillsOf(asMember(unrelated))).data!.worker.skills).toEqual([
      { code: 'translation' },
    ]);
    // An event without the setting (written before members announced it) keeps it.
    const legacy = profileUpdated(memberId, {
      skills: [{ code: 'translation', level: 5, isVerified: true }],
      changed: ['skills'],
    });
    delete (legacy.data as { profileVisibility?: string }).profileVisibility;
    await bus.publish(legacy);
    await waitFor(
      async () =>
        (await countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [
          WORKER_READ_MODEL_CONSUMER,
          legacy.id,
        ])) === 1 || undefined,
      { message: 'legacy profile-updated applied', timeoutMs: 10_000 },
    );
    expect(
      (
        await hub.sql.query('SELECT profile_visibility FROM worker WHERE member_id = $1', [
          memberId,
        ])
      ).rows,
    ).toEqual([{ profile_visibility: 'MEMBERS' }]);
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

  /** A home membership of the space from 2020 on (to `endsOn`, inclusive, when given). */
  async function homeAt(memberId: string, spaceId: string, endsOn: string | null = null) {
    await hub.sql.query(
      `INSERT INTO home_space (membership_id, member_id, space_id, municipality_code, plan,
                               starts_on, ends_on, source_event_at)
       VALUES ($1, $2, $3, '202151', 'monthly', '2020-01-01', $4, now())`,
      [randomUUID(), memberId, spaceId, endsOn],
    );
  }

  /** A referral row as members announces it (visibility in events' spelling). */
  async function referral(memberId: string, referredById: string | null, visibility: string) {
    await hub.sql.query(
      `INSERT INTO referral (member_id, referred_by_id, profile_visibility, source_event_at)
       VALUES ($1, $2, $3, now())`,
      [memberId, referredById, visibility],
    );
    // As the consumer does: the walk reads the graph kept current by these notes.
    await hub.sql.query('INSERT INTO ranking_change (member_id) SELECT unnest($1::uuid[])', [
      [memberId, ...(referredById ? [referredById] : [])],
    ]);
  }

  const placeParts = (list: TSuggestion[], memberId: string) =>
    list
      .find((s) => s.member.id === memberId)!
      .parts.filter((p) => p.factor !== 'COMPLEMENTARY_SKILLS')
      .map((p) => [p.factor, p.points, p.explanationEn]);

  it('counts a shared home space only where the asker may read the membership (staff of its operator)', async () => {
    const code = `kiln-${randomUUID().slice(0, 8)}`;
    const operatorId = randomUUID();
    const spaceId = await space(operatorId);
    const askerId = await worker({ skills: [], visibility: 'PUBLIC' });
    await homeAt(askerId, spaceId);
    // Public profiles with no municipality: only a shared space could add a place part.
    const neighbour = await worker({ skills: [{ code, level: 3 }], visibility: 'PUBLIC' });
    await homeAt(neighbour, spaceId);
    const former = await worker({ skills: [{ code, level: 3 }], visibility: 'PUBLIC' });
    await homeAt(former, spaceId, japanDate(-1));
    const elsewhere = await worker({ skills: [{ code, level: 3 }], visibility: 'PUBLIC' });
    await homeAt(elsewhere, await space(operatorId));
    const requestId = await openRequest(askerId, {
      skills: [{ code, minLevel: 3 }],
      municipalityCode: null,
    });
    const listFor = async (identity: Identity, id = requestId) => {
      const response = await suggestions(id, identity);
      expect(response.errors).toBeUndefined();
      const list = response.data!.helpRequest!.suggestions!;
      for (const suggestion of list) {
        expect(suggestion.parts.reduce((sum, part) => sum + part.points, 0)).toBe(suggestion.score);
      }
      return list;
    };

    // A fellow member of the space may not read the neighbour's membership (spaces' rule:
    // the member, the operator's staff, hub admins): no part, no points, no hint.
    const plain = await listFor(asMember(askerId));
    expect(plain.map((s) => s.member.id).sort()).toEqual([neighbour, former, elsewhere].sort());
    for (const id of [neighbour, former, elsewhere]) expect(placeParts(plain, id)).toEqual([]);
    expect(new Set(plain.map((s) => s.score))).toEqual(new Set([20]));

    // Staff of the operator read its memberships: the neighbour shares the asker's home space
    // today; the former member (ended yesterday) and the member of another space do not.
    const staff = asMember(askerId, { staffOf: [{ organizationId: operatorId, role: 'staff' }] });
    const asStaff = await listFor(staff);
    expect(placeParts(asStaff, neighbour)).toEqual([
      ['SAME_PLACE', 15, 'has the same home space as you'],
    ]);
    expect(placeParts(asStaff, former)).toEqual([]);
    expect(placeParts(asStaff, elsewhere)).toEqual([]);
    expect(asStaff[0]!.member.id).toBe(neighbour);
    // Staff of another operator read none of this space's memberships.
    const otherStaff = asMember(askerId, {
      staffOf: [{ organizationId: randomUUID(), role: 'coordinator' }],
    });
    expect(placeParts(await listFor(otherStaff), neighbour)).toEqual([]);
    // Member.suggestedCollaborators shares the loader and the rule.
    const collaboratorsOf = async (identity: Identity) => {
      const response = await hub.graphql<{
        _entities: { suggestedCollaborators: TSuggestion[] }[];
      }>(
        `query($r: [_Any!]!) { _entities(representations: $r) {
           ... on Member { suggestedCollaborators(first: 20) {
             member { id } score parts { factor points explanation explanationEn } } } } }`,
        { r: [{ __typename: 'Member', id: askerId }] },
        identity,
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.suggestedCollaborators;
    };
    expect(placeParts(await collaboratorsOf(staff), neighbour)).toEqual([
      ['SAME_PLACE', 15, 'has the same home space as you'],
    ]);
    expect(placeParts(await collaboratorsOf(asMember(askerId)), neighbour)).toEqual([]);

    // A request naming a space counts that space (the asker need not be homed there).
    const visitorId = randomUUID();
    const atSpace = await openRequest(visitorId, {
      skills: [{ code, minLevel: 3 }],
      municipalityCode: null,
      spaceId,
    });
    const visitorStaff = asMember(visitorId, {
      staffOf: [{ organizationId: operatorId, role: 'staff' }],
    });
    const atSpaceList = await listFor(visitorStaff, atSpace);
    expect(placeParts(atSpaceList, neighbour)).toEqual([
      ['SAME_PLACE', 15, 'has the space of your request as a home space'],
    ]);
    expect(placeParts(await listFor(asMember(visitorId), atSpace), neighbour)).toEqual([]);
  });

  it('adds trust: the referral distance from the asker over the links the asker may read', async () => {
    const code = `loom-${randomUUID().slice(0, 8)}`;
    const askerId = await worker({ skills: [], visibility: 'PUBLIC' });
    const direct = await worker({ skills: [{ code, level: 3 }], visibility: 'PUBLIC' });
    const behindHidden = await worker({ skills: [{ code, level: 3 }], visibility: 'PUBLIC' });
    const hidden = randomUUID();
    const organizationId = randomUUID();
    await affiliate(behindHidden, organizationId);
    await referral(askerId, null, 'members');
    await referral(direct, askerId, 'members');
    // `hidden` shows their profile to staff only: the link behindHidden ← hidden is not the
    // asker's to read unless they are staff of an organisation either side is registered with.
    await referral(hidden, askerId, 'staff');
    await referral(behindHidden, hidden, 'members');
    const requestId = await openRequest(askerId, {
      skills: [{ code, minLevel: 3 }],
      municipalityCode: null,
    });
    const plain = (await suggestions(requestId, asMember(askerId))).data!.helpRequest!.suggestions!;
    expect(placeParts(plain, direct)).toEqual([['TRUST', 12, '1 referral step away from you']]);
    expect(placeParts(plain, behindHidden)).toEqual([]);
    const staff = asMember(askerId, { staffOf: [{ organizationId, role: 'coordinator' }] });
    const asStaff = (await suggestions(requestId, staff)).data!.helpRequest!.suggestions!;
    expect(placeParts(asStaff, behindHidden)).toEqual([
      ['TRUST', 10, '2 referral steps away from you'],
    ]);
    expect(asStaff.find((s) => s.member.id === behindHidden)!.score).toBe(20 + 10);
  });

  it('suggests collaborators from the member’s open requests, or complementary skills when none', async () => {
    const memberId = await worker({
      skills: [{ code: 'data-entry', level: 3 }],
      visibility: 'PUBLIC',
    });
    const designer = await worker({
      skills: [{ code: 'illustration-x', level: 4 }],
      visibility: 'PUBLIC',
    });
    const collaborators = async () => {
      const response = await hub.graphql<{
        _entities: { suggestedCollaborators: TSuggestion[] | null }[];
      }>(
        `query($r: [_Any!]!) { _entities(representations: $r) {
           ... on Member { suggestedCollaborators(first: 20) {
             member { id } score parts { factor points explanationEn } } } } }`,
        { r: [{ __typename: 'Member', id: memberId }] },
        asMember(memberId),
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.suggestedCollaborators!;
    };
    const complementary = (await collaborators()).find((s) => s.member.id === designer)!;
    expect(complementary.parts[0]!.explanationEn).toBe(
      'has skills you do not (you have no open help request): illustration-x level 4',
    );
    expect(complementary.score).toBe(10 + 3);

    const requestId = await openRequest(memberId, {
      skills: [{ code: 'illustration-x', minLevel: 4 }],
    });
    const needs = (await collaborators()).find((s) => s.member.id === designer)!;
    expect(needs.parts[0]!.explanationEn).toBe(
      'has skills you lack: illustration-x level 4 (needed 4)',
    );
    // Somebody else's view of the member's collaborators is refused.
    const refused = await hub.graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Member { suggestedCollaborators { score } } } }`,
      { r: [{ __typename: 'Member', id: memberId }] },
      asAdmin(),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Closing: the asker only (others NOT_FOUND), and once (then CONFLICT).
    const close = (identity: Identity) =>
      hub.graphql<{ closeHelpRequest: Record<string, unknown> }>(
        `mutation($input: CloseHelpRequestInput!) { closeHelpRequest(input: $input) {
           __typename ... on CloseHelpRequestSuccess { helpRequest { status closedAt } }
           ... on Error { code field } } }`,
        { input: { helpRequestId: requestId } },
        identity,
      );
    expect((await close(asMember(randomUUID()))).data!.closeHelpRequest).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.helpRequestId',
    });
    expect((await close(asMember(memberId))).data!.closeHelpRequest).toEqual({
      __typename: 'CloseHelpRequestSuccess',
      helpRequest: { status: 'CLOSED', closedAt: expect.any(String) },
    });
    expect((await close(asMember(memberId))).data!.closeHelpRequest).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
    });
    // A closed request suggests nobody, and the collaborators fall back to complementary skills.
    expect(
      (await suggestions(requestId, asMember(memberId))).data!.helpRequest!.suggestions,
    ).toEqual([]);
    expect(
      (await collaborators()).find((s) => s.member.id === designer)!.parts[0]!.explanationEn,
    ).toMatch(/^has skills you do not/);
  });
});
