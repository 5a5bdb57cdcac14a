import {
  ConflictError,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  resolveGroupedConnection,
} from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { answerIntroduction } from '../domain/help/answer-introduction.js';
import { INTRODUCTION_NOTE_MAX, introduceMembers } from '../domain/help/introduce-members.js';
import type { Introduction } from '../generated/prisma/client.js';
import { memberIdOf } from './help-request.js';
import { IntroductionAnswerEnum } from './introduction-answer.js';
import { MemberRef } from './member.js';
import { OrganizationRef } from './organization.js';

/** Who reads an introduction: the two members and the introducer (INTRODUCTION_READERS). */
function mayReadIntroduction(context: MatchingContext, introduction: Introduction): boolean {
  const { identity } = context;
  if (identity?.kind !== 'member') return false;
  return [introduction.memberAId, introduction.memberBId, introduction.introducedById].includes(
    identity.memberId,
  );
}

export const IntroductionRef = builder.prismaObject('Introduction', {
  description:
    '運営者のスタッフやコーディネーターによる、二人のメンバーの紹介 — 読めるのは二人と紹介者のみ (an introduction of two members by a space operator’s staff or a coordinator; only the two members and the introducer read it)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    memberA: t.field({
      type: MemberRef,
      description: '紹介された一人目 (the first member introduced)',
      resolve: (introduction) => ({ id: introduction.memberAId }),
    }),
    memberB: t.field({
      type: MemberRef,
      description: '紹介された二人目 (the second member introduced)',
      resolve: (introduction) => ({ id: introduction.memberBId }),
    }),
    introducedBy: t.field({
      type: MemberRef,
      description: '紹介者 (who made the introduction)',
      resolve: (introduction) => ({ id: introduction.introducedById }),
    }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      description:
        '紹介を認めた組織: 二人がホームにしている拠点の運営組織、または二人とも登録している組織 (紹介者はそのスタッフ) — ハブ管理者の紹介では null (the organisation that allowed it, the introducer being its staff: the operator of a space both call home, or an organisation both are registered with; null for a hub admin)',
      resolve: (introduction) =>
        introduction.organizationId ? { id: introduction.organizationId } : null,
    }),
    note: t.exposeString('note', { description: '紹介のメモ (the introducer’s note)' }),
    memberAAnswer: t.expose('memberAAnswer', {
      type: IntroductionAnswerEnum,
      description: '一人目の回答 (the first member’s answer)',
    }),
    memberBAnswer: t.expose('memberBAnswer', {
      type: IntroductionAnswerEnum,
      description: '二人目の回答 (the second member’s answer)',
    }),
    memberAAnsweredAt: t.expose('memberAAnsweredAt', {
      type: 'DateTime',
      nullable: true,
      description: '一人目が回答した日時 (when the first member answered)',
    }),
    memberBAnsweredAt: t.expose('memberBAnsweredAt', {
      type: 'DateTime',
      nullable: true,
      description: '二人目が回答した日時 (when the second member answered)',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '紹介日時 (made at)' }),
  }),
});

export const IntroductionConnection = defineConnection(builder, IntroductionRef, {
  name: 'IntroductionConnection',
  description: '紹介のページ (a page of introductions)',
  edgeDescription: '紹介とそのカーソル (an introduction with its cursor)',
});

// The member is in a row as either side or as the introducer; each row once per member.
const peopleOf = (introduction: Introduction) => [
  ...new Set([introduction.memberAId, introduction.memberBId, introduction.introducedById]),
];

builder.objectField(MemberRef, 'introductions', (t) =>
  t.connection(
    {
      type: IntroductionRef,
      nullable: true,
      description:
        'この会員が紹介された、または紹介した紹介、新しい順 — 本人のみ (introductions the member was introduced in or made, newest first; the member only)',
      authScopes: (member) => ({ self: member.id }),
      resolve: (member, args, context) =>
        resolveGroupedConnection(context, 'introductionsByMember', {
          parent: member.id,
          args,
          fetch: (ids) =>
            context.prisma.introduction.findMany({
              where: {
                OR: [
                  { memberAId: { in: [...ids] } },
                  { memberBId: { in: [...ids] } },
                  { introducedById: { in: [...ids] } },
                ],
              },
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            }),
          groupOf: peopleOf,
        }),
    },
    IntroductionConnection,
  ),
);

function introductionLoader(context: MatchingContext) {
  return requestLoader(context, 'introductionById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.introduction.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (introduction) => introduction.id,
  });
}

builder.queryField('introduction', (t) =>
  t.field({
    type: IntroductionRef,
    nullable: true,
    description:
      '紹介を ID で取得 — 二人と紹介者以外には null (an introduction by id; null for anyone but the two members and the introducer)',
    args: { id: t.arg.id({ required: true, description: '紹介 ID (introduction id)' }) },
    resolve: async (_root, { id }, context) => {
      const introduction = await introductionLoader(context).load(id);
      return introduction && mayReadIntroduction(context, introduction) ? introduction : null;
    },
  }),
);

const IntroduceMembersInput = builder.inputType('IntroduceMembersInput', {
  description: '紹介する二人とメモ (the two members to introduce, with a note)',
  fields: (t) => ({
    memberAId: t.id({ required: true, description: '一人目の会員 ID (first member id)' }),
    memberBId: t.id({ required: true, description: '二人目の会員 ID (second member id)' }),
    note: t.string({
      required: true,
      maxLength: INTRODUCTION_NOTE_MAX,
      description: `紹介のメモ、${INTRODUCTION_NOTE_MAX}文字まで (a note to both)`,
    }),
  }),
});

defineMutation(builder, 'introduceMembers', {
  description:
    '二人のメンバーを紹介する — 二人が今日ともにホームにしている拠点の運営組織のスタッフ、二人とも登録している組織のスタッフ・コーディネーター、またはハブ管理者のみ (それ以外は FORBIDDEN)。二人が紹介を読み、それぞれ一度だけ承諾か辞退できる (introduce two members: staff of the operator of a space both call home today, staff or coordinators of an organisation both are registered with, or hub admins — anyone else FORBIDDEN; both read it and may each accept or decline once)',
  input: { type: IntroduceMembersInput, description: '紹介 (the introduction)' },
  success: {
    field: 'introduction',
    type: IntroductionRef,
    description: '行った紹介 (the introduction made)',
  },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) => introduceMembers(context, memberIdOf(context), input),
});

const AnswerIntroductionFields = (
  t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0],
) => ({
  introductionId: t.id({ required: true, description: '紹介 ID (introduction id)' }),
});

const AcceptIntroductionInput = builder.inputType('AcceptIntroductionInput', {
  description: '承諾する紹介 (the introduction to accept)',
  fields: AnswerIntroductionFields,
});
const DeclineIntroductionInput = builder.inputType('DeclineIntroductionInput', {
  description: '辞退する紹介 (the introduction to decline)',
  fields: AnswerIntroductionFields,
});

/** What answering can run into: no such introduction (or not yours), an answer already given. */
const ANSWER_ERRORS = [InvalidInputError, NotFoundError, ConflictError] as const;

defineMutation(builder, 'acceptIntroduction', {
  description:
    '紹介を承諾する — 紹介された本人が一度だけ。二度目は ALREADY_ANSWERED、他の人は NOT_FOUND (accept an introduction, once, as one of the two members; a second answer is ALREADY_ANSWERED, anyone else NOT_FOUND)',
  input: { type: AcceptIntroductionInput, description: '承諾する紹介 (the introduction)' },
  success: {
    field: 'introduction',
    type: IntroductionRef,
    description: '回答後の紹介 (the introduction as answered)',
  },
  errors: ANSWER_ERRORS,
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    answerIntroduction(context.prisma, memberIdOf(context), input.introductionId, 'ACCEPTED'),
});

defineMutation(builder, 'declineIntroduction', {
  description:
    '紹介を辞退する — 紹介された本人が一度だけ。二度目は ALREADY_ANSWERED、他の人は NOT_FOUND (decline an introduction, once, as one of the two members; a second answer is ALREADY_ANSWERED, anyone else NOT_FOUND)',
  input: { type: DeclineIntroductionInput, description: '辞退する紹介 (the introduction)' },
  success: {
    field: 'introduction',
    type: IntroductionRef,
    description: '回答後の紹介 (the introduction as answered)',
  },
  errors: ANSWER_ERRORS,
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    answerIntroduction(context.prisma, memberIdOf(context), input.introductionId, 'DECLINED'),
});
