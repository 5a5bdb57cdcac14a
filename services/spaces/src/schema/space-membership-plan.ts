import { SPACE_MEMBERSHIP_PLANS } from '@hub/contracts';
import { graphqlEnumValues } from '@hub/service-kit';
import { builder } from '../builder.js';

// Built from the shared vocabulary, as events spell it (@hub/contracts); its order is the order
// of "at least this plan".
export const SpaceMembershipPlanEnum = builder.enumType('SpaceMembershipPlan', {
  description:
    '拠点の会員プラン — 弱い順: ドロップイン・月額・常駐・入居企業スタッフ (a member’s plan at a space, weakest first)',
  values: graphqlEnumValues(SPACE_MEMBERSHIP_PLANS),
});
