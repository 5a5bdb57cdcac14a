import { builder } from '../builder.js';
import { addAffiliation } from '../domain/add-affiliation.js';
import { AffiliationRole } from '../generated/prisma/client.js';

export const AffiliationRoleEnum = builder.enumType(AffiliationRole, {
  name: 'AffiliationRole',
  description: '組織での役割 (role at an organization)',
  values: {
    WORKER: { description: '登録ワーカー — センターに登録して仕事を受ける人 (registered worker)' },
    STAFF: { description: 'スタッフ (staff)' },
    COORDINATOR: { description: 'コーディネーター (coordinator)' },
    LEADER: { description: 'リーダー — 委託業務を配分する責任者 (leader)' },
    EXPERT: { description: '専門家 (expert)' },
    ADMIN: { description: '管理者 (admin)' },
    CONTACT: { description: '窓口担当 (contact)' },
  },
});

const isoDate = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

builder.prismaObject('Affiliation', {
  description:
    'メンバー×組織×役割の期間 — 昇格は上書きせず新しい所属として記録 (a member’s role at an organization over a period)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    member: t.relation('member', { description: 'メンバー (member)' }),
    organization: t.relation('organization', { description: '組織 (organization)' }),
    role: t.expose('role', { type: AffiliationRoleEnum, description: '役割 (role)' }),
    startsOn: t.field({
      type: 'Date',
      description: '開始日 (from)',
      resolve: (a) => isoDate(a.startsOn)!,
    }),
    endsOn: t.field({
      type: 'Date',
      nullable: true,
      description: '終了日 (until; null = current)',
      resolve: (a) => isoDate(a.endsOn),
    }),
  }),
});

const AddAffiliationInput = builder.inputType('AddAffiliationInput', {
  description: '所属の登録内容 (a new affiliation)',
  fields: (t) => ({
    memberId: t.id({ required: true, description: 'メンバー ID (member id)' }),
    organizationId: t.id({ required: true, description: '組織 ID (organization id)' }),
    role: t.field({ type: AffiliationRoleEnum, required: true, description: '役割 (role)' }),
    startsOn: t.field({ type: 'Date', required: true, description: '開始日 (from)' }),
    endsOn: t.field({ type: 'Date', required: false, description: '終了日 (until)' }),
  }),
});

builder.mutationFields((t) => ({
  addAffiliation: t.prismaField({
    type: 'Affiliation',
    description: '所属を追加する (add an affiliation; history is never overwritten)',
    args: {
      input: t.arg({
        type: AddAffiliationInput,
        required: true,
        description: '所属の内容 (the affiliation)',
      }),
    },
    resolve: (_query, _root, { input }, context) => addAffiliation(context.prisma, input),
  }),
}));
