import { MEMBER_KINDS } from '@hub/contracts';
import {
  AppError,
  defineConnection,
  graphqlEnumValues,
  PERSONAL_DATA_SCOPE,
  requestLoader,
  requestToday,
} from '@hub/service-kit';
import { WORKER_FIELDS, WORKER_FILTERS, type WorkerFilterName } from '../authorization/rules.js';
import {
  callerStaffOrganizationIds,
  workerFieldAuth,
  workerGuard,
} from '../authorization/worker-access.js';
import { builder, type MatchingContext } from '../builder.js';
import { pageWorkers, type WorkerFilter } from '../domain/search-workers.js';
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
    // Reached only through Worker.skills, so the skills field's rule (profile group) guards it.
    isVerified: t.exposeBoolean('isVerified', {
      description:
        'スタッフがレベルを確認済みか。候補者の順位では確認済みのスキルが高く数えられます (whether staff verified the level; verified skills count more in candidate ranking)',
    }),
  }),
});

// Field groups (who may read what) come from src/authorization/rules.ts via workerFieldAuth;
// every non-public field is nullable so a refusal is null plus an error at that field.
export const WorkerRef = builder.prismaObject('Worker', {
  description:
    '仕事を受けられる登録ワーカー — 会員の登録内容の写しで、変更は少し遅れて反映されます。項目ごとに会員 (Member) と同じ規則: 表示名と種別は公開、市区町村・スキル・稼働時間などは本人、ハブ管理者、本人が現在登録している (本人確認済みの所属) 組織のスタッフ、本人が同意したパートナーのみ (a registered worker: a copy of the member’s registration, updated shortly after it changes; each field follows the rule of the same fact on Member — display name and kind are public; municipality, skills, hours and the rest are for the member, hub admins, staff of an organisation the member is registered with today, and partners the member consented to)',
  fields: (t) => ({
    // One worker per member: clients cache it as Worker:<member id>.
    id: t.exposeID('memberId', { description: 'ID — 会員 ID と同じ (the member id, UUID)' }),
    memberId: t.exposeID('memberId', { description: '会員 ID (member id, UUID)' }),
    displayName: t.exposeString('displayName', { description: '表示名 (display name)' }),
    kind: t.expose('kind', { type: MemberKindEnum, description: '会員の種別 (kind of member)' }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '居住・活動する市区町村のコード (municipality code)',
      ...workerFieldAuth('municipalityCode'),
    }),
    availableHoursPerWeek: t.exposeInt('availableHoursPerWeek', {
      nullable: true,
      description:
        '1週間に働ける時間 — 未記入なら null (hours a week the member can work; null if not stated)',
      ...workerFieldAuth('availableHoursPerWeek'),
    }),
    skills: t.field({
      type: [WorkerSkillRef],
      nullable: true,
      description: 'スキルとレベル、コード順 (skills with level, by code)',
      ...workerFieldAuth('skills'),
      resolve: (worker) => readSkills(worker.skills),
    }),
    registeredAt: t.expose('registeredAt', {
      type: 'DateTime',
      nullable: true,
      description: '会員登録日時 (registered at)',
      ...workerFieldAuth('registeredAt'),
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'このワーカー情報の最終更新日時 (when this worker’s information was last updated)',
      ...workerFieldAuth('updatedAt'),
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

/** The connection type of every list of workers. */
export const WorkerConnection = defineConnection(builder, WorkerRef, {
  name: 'WorkerConnection',
  description: 'ワーカーのページ (a page of workers)',
  edgeDescription: 'ワーカーとそのカーソル (a worker with its cursor)',
});

type TWorkerFilter = { skill?: string | null; municipalityCode?: string | null };

function usedFilters(filter: TWorkerFilter | null | undefined): WorkerFilterName[] {
  if (!filter) return [];
  return (Object.keys(WORKER_FILTERS) as WorkerFilterName[]).filter((name) => filter[name] != null);
}

/**
 * The conditions on the workers a caller may list: the list shows only workers whose personal
 * fields the caller may read, and each filter matches only where its field is readable — so
 * neither the list nor a filter reveals what reading would refuse.
 */
async function readableWorkers(context: MatchingContext, filters: readonly WorkerFilterName[]) {
  const groups = new Set([
    'personal' as const,
    ...filters.map((filter) => WORKER_FIELDS[WORKER_FILTERS[filter]].group),
  ]);
  const readable = [];
  for (const group of groups) {
    const members = await workerGuard.readableMembers(context, group);
    if (members instanceof AppError) throw members;
    readable.push(members);
  }
  return readable;
}

builder.queryFields((t) => ({
  worker: t.field({
    type: WorkerRef,
    nullable: true,
    description:
      '会員 ID でワーカーを取得 — 項目ごとに参照できる人が決まる (a worker by member id; who may read each field is decided per field)',
    args: { memberId: t.arg.id({ required: true, description: '会員 ID (member id)' }) },
    // Through the request's loader: several lookups (aliases) cost one query.
    resolve: (_root, { memberId }, context) => workerLoader(context).load(memberId),
  }),
  workers: t.connection(
    {
      type: WorkerRef,
      description:
        '登録ワーカーの一覧・検索、名前順 — ハブ管理者はすべて、スタッフは自分の組織に現在登録しているワーカー、パートナーキーはこの組織と利用目的に同意したワーカーのみ。totalCount も参照できるワーカーだけを数える (registered workers by name, paged; hub admins see all, staff the workers registered with their organisations today, partner keys with members:personal:read the workers who consented to the key’s organisation and purpose; totalCount counts only those)',
      // Staff of any organisation and partner keys with the scope may ask; what they get is
      // narrowed in the query itself, so pages and totalCount hold only workers they may read.
      authScopes: (_root, _args, context) => ({
        admin: true,
        staffOf: callerStaffOrganizationIds(context),
        partnerScope: PERSONAL_DATA_SCOPE,
      }),
      args: {
        filter: t.arg({
          type: WorkerFilterInput,
          required: false,
          description: '絞り込み (filter)',
        }),
      },
      resolve: async (_root, args, context) => {
        const filters = usedFilters(args.filter);
        const page = await pageWorkers(
          context.prisma,
          {
            filter: args.filter as WorkerFilter | null | undefined,
            readable: await readableWorkers(context, filters),
            today: requestToday(context),
          },
          args,
        );
        await workerGuard.recordFilterReads(
          context,
          page.edges.map((edge) => edge.node),
          filters.map((name) => WORKER_FILTERS[name]),
        );
        return page;
      },
    },
    WorkerConnection,
  ),
}));
