import { randomUUID } from 'node:crypto';
import { asAdmin, asMember, asPartner } from '@hub/testing';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { addAffiliation } from '../src/domain/add-affiliation.js';
import {
  ERROR_FIELDS,
  newMember,
  newOrganization,
  outboxOf,
  typedErrorOf,
  useMembers,
} from './support/index.js';

const hub = useMembers();

const PROFILE = `displayName displayNameKana kind bio aspiration municipalityCode homeMunicipalityCode
  interests availableHoursPerWeek relocationInterest contactPhone links { label url } profileVisibility`;
const UPDATE_MY_PROFILE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
  ... on UpdateMyProfileSuccess { member { ${PROFILE} } } ${ERROR_FIELDS} } }`;
const SET_MY_SKILLS = `mutation($skills: [SkillLevelInput!]!) {
  setMySkills(input: { skills: $skills }) {
    ... on SetMySkillsSuccess { member { skills { skill { code } level isVerified verifiedBy verifiedAt } } }
    ${ERROR_FIELDS} } }`;

async function snapshotOf(memberId: string) {
  const [member] = await hub.rows('SELECT * FROM member WHERE id = $1', [memberId]);
  const links = await hub.rows('SELECT label, url FROM member_link WHERE member_id = $1', [
    memberId,
  ]);
  const skills = await hub.rows(
    'SELECT skill_code, level, is_verified FROM member_skill WHERE member_id = $1 ORDER BY skill_code',
    [memberId],
  );
  const events = await outboxOf(hub, memberId);
  return { member, links, skills, events: events.length };
}

describe('updateMyProfile', () => {
  it('changes the profile and announces the facts other services keep', async () => {
    const memberId = await newMember(hub.prisma, {
      displayName: '変更 前',
      municipalityCode: '012157',
    });
    const response = await hub.gql<{ updateMyProfile: { member: unknown } }>(
      UPDATE_MY_PROFILE,
      {
        input: {
          displayName: '変更 後',
          bio: '  自己紹介  ',
          municipalityCode: '202151',
          homeMunicipalityCode: '131016',
          interests: ['移住', '移住', 'Web'],
          availableHoursPerWeek: 30,
          relocationInterest: 'PLANNING',
          contactPhone: '0263-00-0000',
          links: [{ label: 'ポートフォリオ', url: 'https://example.com/me' }],
        },
      },
      asMember(memberId),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateMyProfile.member).toEqual({
      displayName: '変更 後',
      displayNameKana: null,
      kind: 'TELEWORKER',
      bio: '自己紹介',
      aspiration: null,
      municipalityCode: '202151',
      homeMunicipalityCode: '131016',
      interests: ['移住', 'Web'],
      availableHoursPerWeek: 30,
      relocationInterest: 'PLANNING',
      contactPhone: '0263-00-0000',
      links: [{ label: 'ポートフォリオ', url: 'https://example.com/me' }],
      profileVisibility: 'MEMBERS',
    });
    const events = await outboxOf(hub, memberId);
    expect(events.map((event) => event.type)).toEqual([
      'members.member.registered',
      'members.referral.changed',
      'members.member.profile-updated',
    ]);
    expect(events[2]!.payload.data).toEqual({
      memberId,
      displayName: '変更 後',
      kind: 'teleworker',
      municipalityCode: '202151',
      homeMunicipalityCode: '131016',
      availableHoursPerWeek: 30,
      skills: [],
      changed: ['displayName', 'municipality', 'availability'],
    });
  });

  it('writes no event when only what others do not keep changes; null clears', async () => {
    const memberId = await newMember(hub.prisma, { bio: '前', contactPhone: '03-0000-0000' });
    const response = await hub.gql<{ updateMyProfile: { member: unknown } }>(
      UPDATE_MY_PROFILE,
      { input: { bio: '後', contactPhone: null, aspiration: '' } },
      asMember(memberId),
    );
    expect(response.data!.updateMyProfile.member).toMatchObject({
      bio: '後',
      contactPhone: null,
      aspiration: null,
    });
    expect((await outboxOf(hub, memberId)).map((event) => event.type)).toEqual([
      'members.member.registered',
      'members.referral.changed',
    ]);
  });

  it.each([
    [{ municipalityCode: '011001' }, 'INVALID_MUNICIPALITY_CODE', 'municipalityCode'],
    [{ homeMunicipalityCode: '12345' }, 'INVALID_MUNICIPALITY_CODE', 'homeMunicipalityCode'],
    [{ availableHoursPerWeek: 169 }, 'BAD_USER_INPUT', 'availableHoursPerWeek'],
    [{ availableHoursPerWeek: -1 }, 'BAD_USER_INPUT', 'availableHoursPerWeek'],
    [{ links: [{ label: 'x', url: 'javascript:alert(1)' }] }, 'BAD_USER_INPUT', 'links.0.url'],
    [{ links: [{ label: 'x', url: 'ftp://example.com/' }] }, 'BAD_USER_INPUT', 'links.0.url'],
    [{ displayName: null }, 'BAD_USER_INPUT', 'displayName'],
    [{ kind: null }, 'BAD_USER_INPUT', 'kind'],
    [{ contactPhone: '電話してね' }, 'BAD_USER_INPUT', 'contactPhone'],
  ])(
    'returns %j as InvalidInputError (%s at %s) and writes nothing',
    async (input, code, field) => {
      const memberId = await newMember(hub.prisma, {
        displayName: '不変',
        links: [{ label: 'web', url: 'https://example.com/' }],
      });
      const before = await snapshotOf(memberId);
      const response = await hub.gql(
        UPDATE_MY_PROFILE,
        { input: { bio: '書き換えられない', municipalityCode: '202151', ...input } },
        asMember(memberId),
      );
      expect(typedErrorOf(response, 'updateMyProfile')).toMatchObject({
        __typename: 'InvalidInputError',
        code,
        field: `input.${field}`,
      });
      expect(await snapshotOf(memberId)).toEqual(before);
    },
  );

  it('is for signed-in members; updateMemberProfile for hub admins', async () => {
    const memberId = await newMember(hub.prisma);
    const input = { bio: 'x' };
    expect((await hub.gql(UPDATE_MY_PROFILE, { input })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await hub.gql(UPDATE_MY_PROFILE, { input }, asPartner())).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const ADMIN_UPDATE = `mutation($input: UpdateMemberProfileInput!) {
      updateMemberProfile(input: $input) {
        ... on UpdateMemberProfileSuccess { member { bio kind } } ${ERROR_FIELDS} } }`;
    const byMember = await hub.gql(
      ADMIN_UPDATE,
      { input: { memberId, bio: '他人が書く' } },
      asMember(randomUUID()),
    );
    expect(byMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byAdmin = await hub.gql(
      ADMIN_UPDATE,
      { input: { memberId, bio: '管理者が直す', kind: 'FOUNDER' } },
      asAdmin(),
    );
    expect(byAdmin.data).toEqual({
      updateMemberProfile: { member: { bio: '管理者が直す', kind: 'FOUNDER' } },
    });
    const [, , updated] = await outboxOf(hub, memberId);
    expect(updated!.payload.data).toMatchObject({ kind: 'founder', changed: ['kind'] });
    const unknown = await hub.gql(
      ADMIN_UPDATE,
      { input: { memberId: randomUUID(), bio: 'x' } },
      asAdmin(),
    );
    expect(typedErrorOf(unknown, 'updateMemberProfile')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      field: 'input.memberId',
    });
  });

  it('setProfileVisibility changes who sees the profile', async () => {
    const memberId = await newMember(hub.prisma, { bio: '公開したい' });
    const read = () =>
      hub.gql<{ member: { bio: string | null } }>('query($id: ID!) { member(id: $id) { bio } }', {
        id: memberId,
      });
    expect((await read()).data!.member.bio).toBeNull();
    const set = await hub.gql(
      `mutation { setProfileVisibility(input: { visibility: PUBLIC }) {
        ... on SetProfileVisibilitySuccess { member { profileVisibility } } ${ERROR_FIELDS} } }`,
      {},
      asMember(memberId),
    );
    expect(set.data).toEqual({ setProfileVisibility: { member: { profileVisibility: 'PUBLIC' } } });
    expect((await read()).data!.member.bio).toBe('公開したい');
  });
});

describe('skills', () => {
  it('setMySkills replaces the skills and announces them', async () => {
    const memberId = await newMember(hub.prisma, { skills: [{ code: 'design', level: 2 }] });
    const response = await hub.gql<{ setMySkills: { member: unknown } }>(
      SET_MY_SKILLS,
      {
        skills: [
          { code: 'writing', level: 4 },
          { code: 'translation', level: 3 },
        ],
      },
      asMember(memberId),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.setMySkills.member).toEqual({
      skills: [
        {
          skill: { code: 'writing' },
          level: 4,
          isVerified: false,
          verifiedBy: null,
          verifiedAt: null,
        },
        {
          skill: { code: 'translation' },
          level: 3,
          isVerified: false,
          verifiedBy: null,
          verifiedAt: null,
        },
      ],
    });
    const events = await outboxOf(hub, memberId);
    expect(events.at(-1)!.payload.data).toMatchObject({
      changed: ['skills'],
      skills: [
        { code: 'translation', level: 3, isVerified: false },
        { code: 'writing', level: 4, isVerified: false },
      ],
    });
  });

  it.each([
    [[{ code: 'juggling', level: 3 }], 'NotFoundError', 'UNKNOWN_SKILL', 'skills.0.code'],
    [
      [{ code: 'design', level: 6 }],
      'InvalidInputError',
      'SKILL_LEVEL_OUT_OF_RANGE',
      'skills.0.level',
    ],
    [
      [
        { code: 'design', level: 2 },
        { code: 'writing', level: 0 },
      ],
      'InvalidInputError',
      'SKILL_LEVEL_OUT_OF_RANGE',
      'skills.1.level',
    ],
    [
      [
        { code: 'design', level: 2 },
        { code: 'design', level: 3 },
      ],
      'InvalidInputError',
      'BAD_USER_INPUT',
      'skills.1.code',
    ],
  ])('returns %j as %s (%s) and writes nothing', async (skills, typename, code, field) => {
    const memberId = await newMember(hub.prisma, { skills: [{ code: 'video', level: 1 }] });
    const before = await snapshotOf(memberId);
    const response = await hub.gql(SET_MY_SKILLS, { skills }, asMember(memberId));
    expect(typedErrorOf(response, 'setMySkills')).toMatchObject({
      __typename: typename,
      code,
      field: `input.${field}`,
    });
    expect(await snapshotOf(memberId)).toEqual(before);
  });

  describe('verifyMemberSkill', () => {
    let organizationId: string;
    let formerOrganizationId: string;
    let memberId: string;
    const VERIFY = `mutation($id: ID!, $code: String!) {
      verifyMemberSkill(input: { memberId: $id, skillCode: $code }) {
        ... on VerifyMemberSkillSuccess {
          member { skills { skill { code } level isVerified verifiedBy verifiedAt } }
        }
        ${ERROR_FIELDS} } }`;

    beforeAll(async () => {
      organizationId = await newOrganization(hub.prisma);
      formerOrganizationId = await newOrganization(hub.prisma);
      memberId = await newMember(hub.prisma, {
        skills: [
          { code: 'data-entry', level: 3 },
          { code: 'accounting', level: 2 },
        ],
      });
      await addAffiliation(
        { prisma: hub.prisma },
        {
          memberId,
          organizationId,
          role: 'WORKER',
          startsOn: '2024-04-01',
        },
        { confirmed: true },
      );
      await addAffiliation(
        { prisma: hub.prisma },
        {
          memberId,
          organizationId: formerOrganizationId,
          role: 'WORKER',
          startsOn: '2020-04-01',
          endsOn: '2021-03-31',
        },
        { confirmed: true },
      );
    });

    it('is for hub admins and staff of an organisation the member is registered with', async () => {
      for (const [identity, code] of [
        [null, 'UNAUTHENTICATED'],
        [asMember(memberId), 'FORBIDDEN'],
        [
          asMember(randomUUID(), {
            staffOf: [{ organizationId: formerOrganizationId, role: 'coordinator' }],
          }),
          'FORBIDDEN',
        ],
        [
          asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
          'FORBIDDEN',
        ],
      ] as const) {
        const response = await hub.gql(VERIFY, { id: memberId, code: 'data-entry' }, identity);
        expect(response.errors?.[0]?.extensions?.code).toBe(code);
      }
      const coordinator = asMember(randomUUID(), {
        staffOf: [{ organizationId, role: 'coordinator' }],
      });
      const response = await hub.gql<{
        verifyMemberSkill: {
          member: {
            skills: {
              skill: { code: string };
              isVerified: boolean;
              verifiedBy: string;
              verifiedAt: string;
            }[];
          };
        };
      }>(VERIFY, { id: memberId, code: 'data-entry' }, coordinator);
      expect(response.errors).toBeUndefined();
      const verified = response.data!.verifyMemberSkill.member.skills.find(
        (skill) => skill.skill.code === 'data-entry',
      )!;
      expect(verified).toMatchObject({ isVerified: true, verifiedBy: 'COORDINATOR' });
      expect(Date.now() - Date.parse(verified.verifiedAt)).toBeLessThan(60_000);
      const events = await outboxOf(hub, memberId);
      expect(events.at(-1)!.payload.data).toMatchObject({
        changed: ['skills'],
        skills: [
          { code: 'accounting', level: 2, isVerified: false },
          { code: 'data-entry', level: 3, isVerified: true },
        ],
      });
      // Again: nothing changes, nothing is announced.
      const count = events.length;
      await hub.gql(VERIFY, { id: memberId, code: 'data-entry' }, asAdmin());
      expect(await outboxOf(hub, memberId)).toHaveLength(count);
    });

    it('names unknown and unlisted skills', async () => {
      const before = await snapshotOf(memberId);
      const unknown = await hub.gql(VERIFY, { id: memberId, code: 'juggling' }, asAdmin());
      expect(typedErrorOf(unknown, 'verifyMemberSkill')).toMatchObject({
        __typename: 'NotFoundError',
        code: 'UNKNOWN_SKILL',
        field: 'input.skillCode',
      });
      const unlisted = await hub.gql(VERIFY, { id: memberId, code: 'video' }, asAdmin());
      expect(typedErrorOf(unlisted, 'verifyMemberSkill')).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field: 'input.skillCode',
      });
      expect(await snapshotOf(memberId)).toEqual(before);
    });

    it('a verification survives setMySkills unless the level goes up', async () => {
      const response = await hub.gql<{
        setMySkills: {
          member: {
            skills: {
              skill: { code: string };
              level: number;
              isVerified: boolean;
              verifiedBy: string | null;
            }[];
          };
        };
      }>(
        SET_MY_SKILLS,
        {
          skills: [
            { code: 'data-entry', level: 2 },
            { code: 'accounting', level: 2 },
          ],
        },
        asMember(memberId),
      );
      expect(response.data!.setMySkills.member.skills).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            skill: { code: 'data-entry' },
            level: 2,
            isVerified: true,
            verifiedBy: 'COORDINATOR',
          }),
        ]),
      );
      const raised = await hub.gql<{
        setMySkills: {
          member: {
            skills: { skill: { code: string }; isVerified: boolean; verifiedBy: string | null }[];
          };
        };
      }>(SET_MY_SKILLS, { skills: [{ code: 'data-entry', level: 5 }] }, asMember(memberId));
      expect(raised.data!.setMySkills.member.skills).toEqual([
        expect.objectContaining({ isVerified: false, verifiedBy: null }),
      ]);
    });
  });
});

describe('registerMember for an organisation', () => {
  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
    ... on RegisterMemberSuccess { member { id careerPath { role organization { id } endsOn } } }
    ${ERROR_FIELDS} } }`;

  it('registers a local worker with the coordinator’s organisation in one go', async () => {
    const organizationId = await newOrganization(hub.prisma);
    const coordinator = asMember(randomUUID(), {
      staffOf: [{ organizationId, role: 'coordinator' }],
    });
    const response = await hub.gql<{
      registerMember: { member: { id: string; careerPath: unknown } };
    }>(
      REGISTER,
      {
        input: {
          displayName: '地域 ワーカー',
          kind: 'TELEWORKER',
          availableHoursPerWeek: 15,
          organizationId,
        },
      },
      coordinator,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.registerMember.member.careerPath).toEqual([
      { role: 'WORKER', organization: { id: organizationId }, endsOn: null },
    ]);
    const events = await outboxOf(hub, response.data!.registerMember.member.id);
    expect(events.map((event) => event.type)).toEqual([
      'members.member.registered',
      'members.referral.changed',
      'members.affiliation.changed',
    ]);
    expect(events[2]!.payload.data).toMatchObject({ role: 'worker', change: 'started' });
  });

  it('only for staff of that organisation', async () => {
    const organizationId = await newOrganization(hub.prisma);
    const elsewhere = asMember(randomUUID(), {
      staffOf: [{ organizationId: randomUUID(), role: 'coordinator' }],
    });
    const response = await hub.gql(
      REGISTER,
      { input: { displayName: '登録 不可', kind: 'TELEWORKER', organizationId } },
      elsewhere,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
