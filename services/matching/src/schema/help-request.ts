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
import { closeHelpRequest } from '../domain/help/close-help-request.js';
import { createHelpRequest } from '../domain/help/create-help-request.js';
import { SUGGESTIONS_MAX, suggestForHelpRequest } from '../domain/help/find-suggestions.js';
import { mayReadHelpRequest } from '../domain/help/help-request-access.js';
import {
  HELP_REQUEST_DESCRIPTION_MAX,
  HELP_REQUEST_MAX_SKILLS,
  HELP_REQUEST_TITLE_MAX,
} from '../domain/help/help-request-fields.js';
import { HelpRequestSkillInput, HelpRequestSkillRef } from './help-request-skill.js';
import { HelpRequestStatusEnum } from './help-request-status.js';
import { HelpRequestVisibilityEnum } from './help-request-visibility.js';
import { HelpSuggestionRef } from './help-suggestion.js';
import { MemberRef } from './member.js';

/** Help requests by id, with their skills: one query per request however many are asked. */
function helpRequestLoader(context: MatchingContext) {
  return requestLoader(context, 'helpRequestById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.helpRequest.findMany({
        where: { id: { in: [...ids] } },
        include: { skills: { orderBy: { code: 'asc' } } },
      }),
    keyOf: (request) => request.id,
  });
}

const HELP_REQUEST_ORDER = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export const HelpRequestRef = builder.prismaObject('HelpRequest', {
  description:
    '「これを試したい、手伝える人はいますか」という相談 — 相談者とハブ管理者、相談者が MEMBERS を選んだときはサインインしたメンバーが読める (a member’s request for help with something they want to try; read by the asker and hub admins, and by signed-in members when the asker chose MEMBERS)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    asker: t.field({
      type: MemberRef,
      description: '相談者 (the member asking)',
      resolve: (request) => ({ id: request.askerId }),
    }),
    title: t.exposeString('title', { description: '件名 (title)' }),
    description: t.exposeString('description', { description: '内容 (what they want to try)' }),
    skills: t.field({
      type: [HelpRequestSkillRef],
      description: '必要なスキル、コード順 (the skills needed, by code)',
      // Through the request's loader: the skills of every request asked for in one query.
      resolve: async (request, _args, context) =>
        (await helpRequestLoader(context).load(request.id))?.skills ?? [],
    }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '手伝ってほしい市区町村のコード (municipality where help is wanted)',
    }),
    spaceId: t.exposeID('spaceId', {
      nullable: true,
      description: '手伝ってほしい拠点の ID (space where help is wanted, id of a Space)',
    }),
    visibleTo: t.expose('visibleTo', {
      type: HelpRequestVisibilityEnum,
      description: '読める人 (who may read it)',
    }),
    status: t.expose('status', { type: HelpRequestStatusEnum, description: '状態 (status)' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '作成日時 (created at)' }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: '締め切った日時 (closed at)',
    }),
    suggestions: t.field({
      type: [HelpSuggestionRef],
      nullable: true,
      description: `手伝えそうなメンバー、点数の高い順 (同点は会員 ID 順) — 相談者本人のみ。相談者がプロフィールを読めるメンバーだけが現れ、理由も読めるスキルと場所だけで述べる (members who could help, best first, ties by member id; the asker only. Only members whose profile the asker may read appear, and the reasons name only skills and places the asker may read). first は ${SUGGESTIONS_MAX} まで (first at most ${SUGGESTIONS_MAX})`,
      args: {
        first: t.arg.int({
          required: false,
          defaultValue: 10,
          min: 0,
          max: SUGGESTIONS_MAX,
          description: `件数 0〜${SUGGESTIONS_MAX} (how many, 0..${SUGGESTIONS_MAX})`,
        }),
      },
      authScopes: (request) => ({ self: request.askerId }),
      resolve: async (request, args, context) => {
        const withSkills = await helpRequestLoader(context).load(request.id);
        if (!withSkills || withSkills.status !== 'OPEN') return [];
        return suggestForHelpRequest(context, withSkills, args.first ?? 10);
      },
    }),
  }),
});

export const HelpRequestConnection = defineConnection(builder, HelpRequestRef, {
  name: 'HelpRequestConnection',
  description: '相談のページ (a page of help requests)',
  edgeDescription: '相談とそのカーソル (a help request with its cursor)',
});

builder.objectField(MemberRef, 'helpRequests', (t) =>
  t.connection(
    {
      type: HelpRequestRef,
      nullable: true,
      description:
        'この会員の相談、新しい順 — 本人とハブ管理者のみ (the member’s help requests, newest first; the member and hub admins only)',
      authScopes: (member) => ({ self: member.id, admin: true }),
      resolve: (member, args, context) =>
        resolveGroupedConnection(context, 'helpRequestsByAsker', {
          parent: member.id,
          args,
          fetch: (ids) =>
            context.prisma.helpRequest.findMany({
              where: { askerId: { in: [...ids] } },
              orderBy: HELP_REQUEST_ORDER,
            }),
          groupOf: (request) => request.askerId,
        }),
    },
    HelpRequestConnection,
  ),
);

builder.queryField('helpRequest', (t) =>
  t.field({
    type: HelpRequestRef,
    nullable: true,
    description:
      '相談を ID で取得 — 読めない相談は null (a help request by id; null when the caller may not read it)',
    args: { id: t.arg.id({ required: true, description: '相談 ID (help request id)' }) },
    resolve: async (_root, { id }, context) => {
      const request = await helpRequestLoader(context).load(id);
      return request && mayReadHelpRequest(context, request) ? request : null;
    },
  }),
);

const CreateHelpRequestInput = builder.inputType('CreateHelpRequestInput', {
  description: '相談の内容 (a new help request)',
  fields: (t) => ({
    title: t.string({
      required: true,
      maxLength: HELP_REQUEST_TITLE_MAX,
      description: `件名、${HELP_REQUEST_TITLE_MAX}文字まで (title)`,
    }),
    description: t.string({
      required: false,
      maxLength: HELP_REQUEST_DESCRIPTION_MAX,
      description: `試したいこと、${HELP_REQUEST_DESCRIPTION_MAX}文字まで (what you want to try)`,
    }),
    skills: t.field({
      type: [HelpRequestSkillInput],
      required: true,
      description: `必要なスキル、1〜${HELP_REQUEST_MAX_SKILLS}件、コード重複不可 (skills needed, 1 to ${HELP_REQUEST_MAX_SKILLS}, unique codes)`,
    }),
    municipalityCode: t.string({
      required: false,
      description: '手伝ってほしい市区町村のコード 6桁 (municipality code, 6 digits)',
    }),
    spaceId: t.id({ required: false, description: '手伝ってほしい拠点の ID (space id)' }),
    visibleTo: t.field({
      type: HelpRequestVisibilityEnum,
      required: false,
      description:
        '読める人、既定は相談者とハブ管理者のみ (who may read it; default ASKER_AND_ADMINS)',
    }),
  }),
});

defineMutation(builder, 'createHelpRequest', {
  description:
    '相談を出す — サインインしたメンバー本人として (ask for help, as the signed-in member)',
  input: { type: CreateHelpRequestInput, description: '相談の内容 (the request)' },
  success: { field: 'helpRequest', type: HelpRequestRef, description: '出した相談 (the request)' },
  errors: [InvalidInputError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) => createHelpRequest(context, memberIdOf(context), input),
});

const CloseHelpRequestInput = builder.inputType('CloseHelpRequestInput', {
  description: '締め切る相談 (the help request to close)',
  fields: (t) => ({
    helpRequestId: t.id({ required: true, description: '相談 ID (help request id)' }),
  }),
});

defineMutation(builder, 'closeHelpRequest', {
  description:
    '相談を締め切る — 相談者本人のみ。他の人の相談は NOT_FOUND、締め切り済みは CONFLICT (close your help request; someone else’s is NOT_FOUND, a closed one CONFLICT)',
  input: { type: CloseHelpRequestInput, description: '締め切る相談 (the request)' },
  success: {
    field: 'helpRequest',
    type: HelpRequestRef,
    description: '締め切った相談 (the request, closed)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    closeHelpRequest(context.prisma, memberIdOf(context), input.helpRequestId),
});

/** The signed-in member (the mutations' scope made sure there is one). */
export function memberIdOf(context: MatchingContext): string {
  if (context.identity?.kind !== 'member') throw new Error('a member scope let a non-member in');
  return context.identity.memberId;
}
