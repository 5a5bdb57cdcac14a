import { builder, type InputFields } from '../builder.js';
import { SpaceRef, spaceLoader } from './space.js';
import { SpaceMembershipPlanEnum } from './space-membership-plan.js';

export const SpaceNetworkTermsRef = builder.prismaObject('SpaceNetworkSite', {
  name: 'SpaceNetworkTerms',
  description:
    'ネットワーク内の拠点とその受け入れ条件 (a space in a network with its terms as a host)',
  fields: (t) => ({
    space: t.field({
      type: SpaceRef,
      description: '拠点 (the space)',
      resolve: async (site, _args, context) => (await spaceLoader(context).load(site.spaceId))!,
    }),
    freeDaysPerMonth: t.exposeInt('freeDaysPerMonth', {
      description: '月あたりの無料利用日数 (free days per month)',
    }),
    discountPercent: t.exposeInt('discountPercent', {
      description: '無料日数を超えた利用の割引率 % (discount beyond the free days, percent)',
    }),
    noticeDays: t.exposeInt('noticeDays', {
      description: '必要な事前連絡の日数 (days of advance notice required)',
    }),
    minimumPlan: t.expose('minimumPlan', {
      type: SpaceMembershipPlanEnum,
      description:
        '利用できる会員 — ネットワーク内のホーム拠点でこのプラン以上 (eligible: members of a home space in the network on at least this plan)',
    }),
  }),
});

/** The fields of a space's terms, shared by both inputs below so they cannot drift. */
const termsFields = (t: InputFields) => ({
  spaceId: t.id({ required: true, description: '拠点 ID (space id)' }),
  freeDaysPerMonth: t.int({
    required: true,
    min: 0,
    max: 31,
    description: '月あたりの無料利用日数 (free days per month)',
  }),
  discountPercent: t.int({
    required: false,
    min: 0,
    max: 100,
    description: '割引率 % — 省略時 0 (discount percent; default 0)',
  }),
  noticeDays: t.int({
    required: false,
    min: 0,
    max: 365,
    description: '事前連絡の日数 — 省略時 0 (days of notice; default 0)',
  }),
  minimumPlan: t.field({
    type: SpaceMembershipPlanEnum,
    required: false,
    description: '最低プラン — 省略時ドロップイン (minimum plan; default DROP_IN)',
  }),
});

export const SiteTermsInput = builder.inputType('SpaceNetworkTermsInput', {
  description: 'ネットワークに加える拠点とその条件 (a space joining a network, with its terms)',
  fields: termsFields,
});

export const SetSpaceNetworkTermsInput = builder.inputType('SetSpaceNetworkTermsInput', {
  description:
    'ネットワークに拠点を加える、または参加拠点の条件を改める — 省略した条件は既定値 (a space joining a network, or new terms for a member space; terms left out take their defaults)',
  fields: (t) => ({
    networkId: t.id({ required: true, description: 'ネットワーク ID (network id)' }),
    ...termsFields(t),
  }),
});
