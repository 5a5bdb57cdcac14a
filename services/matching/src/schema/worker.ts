import { MEMBER_KINDS } from '@hub/contracts';
import { graphqlEnumValues, hubAuthScopes, requestLoader } from '@hub/service-kit';
import { builder, type MatchingContext } from '../builder.js';
import { searchWorkers } from '../domain/search-workers.js';
import { callerStaffOrganizationIds, requestToday, workerScopes } from '../domain/worker-access.js';
import { readSkills, type TWorkerSkill } from '../domain/worker-skills.js';

// The same enum as members' (a federation value type): both are built from @hub/contracts.
export const MemberKindEnum = builder.enumType('MemberKind', {
  description: 'メンバーの種別 (kind of member)',
  values: graphqlEnumValues(MEMBER_KINDS),
});

export const WorkerSkillRef = builder.objectRef<TWorkerSkill>('WorkerSkill').implement({
  description: 'ワーカーのスキルとレベル (a worker’s skill and level)',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'スキルコード (skill code, e.g. data-entry)' }),
    level: t.exposeInt('level', { description: 'レベル 1〜5 (level, 1..5)' }),
  }),
});

export const WorkerRef = builder.prismaObject('Worker', {
  description:
    '仕事を受けられる登録ワーカー — 会員の登録内容の写しで、変更は少し遅れて反映されます。個人データのため本人、ハブ管理者、本人が現在登録している (本人確認済みの所属) 組織のスタッフのみ参照可 (a registered worker: a copy of the member’s registration, updated shortly after it changes; personal data, visible to the member themself, hub admins and staff of an organisation the member is registered with today — an active affiliation the member confirmed)',
  // Whatever field leads here, a worker is personal data: the rule is on the type, so no path
  // (the list, a lookup, a field added later) can skip it.
  authScopes: (worker, context) => workerScopes(context, worker.memberId),
  fields: (t) => ({
    // One worker per member: clients cache it as Worker:<member id>.
    id: t.exposeID('memberId', { description: 'ID — 会員 ID と同じ (the member id, UUID)' }),
    memberId: t.exposeID('memberId', { description: '会員 ID (member id, UUID)' }),
    displayName: t.exposeString('displayName', { description: '表示名 (display name)' }),
    kind: t.expose('kind', { type: MemberKindEnum, description: '会員の種別 (kind of member)' }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '居住・活動する市区町村のコード (municipality code)',
    }),
    availableHoursPerWeek: t.exposeInt('availableHoursPerWeek', {
      nullable: true,
      description:
        '1週間に働ける時間 — 未記入なら null (hours a week the member can work; null if not stated)',
    }),
    skills: t.field({
      type: [WorkerSkillRef],
      description: 'スキルとレベル、コード順 (skills with level, by code)',
      resolve: (worker) => readSkills(worker.skills),
    }),
    registeredAt: t.expose('registeredAt', {
      type: 'DateTime',
      description: '会員登録日時 (registered at)',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description:
        'このワーカー情報の最終更新日時 (when this worker’s information was last updated)',
    }),
  }),
});

/** Workers by member id: one query for every reference in a request (the data export). */
export function workerLoader(context: MatchingContext) {
  return requestLoader(context, 'workerByMemberId', {
    fetch: (memberIds: readonly string[]) =>
      context.prisma.worker.findMany({ where: { memberId: { in: [...memberIds] } } }),
    keyOf: (worker) => worker.memberId,
  });
}

const WorkerFilterInput = builder.inputType('WorkerFilter', {
  description:
    'ワーカーの絞り込み条件 — 指定した条件すべてに一致 (filter for workers; all given conditions apply)',
  fields: (t) => ({
    skill: t.string({
      required: false,
      maxLength: 64,
      description: 'このスキルコードを持つ (has this skill code)',
    }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード 6桁 (municipality code, 6 digits)',
    }),
  }),
});

const MAX_LIST = 200;

builder.queryFields((t) => ({
  worker: t.field({
    type: WorkerRef,
    nullable: true,
    description:
      '会員 ID でワーカーを取得 — 本人、ハブ管理者、または本人が登録している組織のスタッフのみ (a worker by member id; the member themself, a hub admin, or staff of an organisation the member is registered with)',
    // Checked before the lookup, so a refused caller does not learn whether the worker exists.
    authScopes: (_root, { memberId }, context) => workerScopes(context, memberId),
    args: { memberId: t.arg.id({ required: true, description: '会員 ID (member id)' }) },
    // Through the request's loader: several lookups (aliases) cost one query.
    resolve: (_root, { memberId }, context) => workerLoader(context).load(memberId),
  }),
  workers: t.field({
    type: [WorkerRef],
    description: `登録ワーカーの一覧・検索、名前順 — ハブ管理者はすべて、スタッフは自分の組織に現在登録しているワーカーのみ (registered workers by name; at most ${MAX_LIST}; hub admins see all, staff only the workers registered with their organisations today)`,
    // Staff of any organisation may ask; what they get is narrowed to their organisations'
    // workers in the query itself, so the limit counts only workers they may read.
    authScopes: (_root, _args, context) => ({
      admin: true,
      staffOf: callerStaffOrganizationIds(context),
    }),
    args: {
      filter: t.arg({ type: WorkerFilterInput, required: false, description: '絞り込み (filter)' }),
      limit: t.arg.int({
        required: false,
        defaultValue: 50,
        min: 1,
        max: MAX_LIST,
        description: '件数 (number of workers)',
      }),
    },
    resolve: (_root, { filter, limit }, context) =>
      searchWorkers(context.prisma, {
        filter,
        limit: limit ?? 50,
        registeredWith: hubAuthScopes(context).admin
          ? null
          : { organizationIds: callerStaffOrganizationIds(context), today: requestToday(context) },
      }),
  }),
}));
