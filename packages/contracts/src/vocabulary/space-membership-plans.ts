import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/**
 * A member's plan at a space, from the lightest tie to the strongest: a network's terms admit
 * members holding "at least" a plan, so the order is part of the vocabulary (planRank).
 */
export const SPACE_MEMBERSHIP_PLANS = defineVocabulary({
  'drop-in': 'ドロップイン (drop-in)',
  monthly: '月額会員 (monthly member)',
  resident: '固定席・常駐会員 (resident)',
  'tenant-staff': '入居企業のスタッフ (tenant staff)',
});
export const ZSpaceMembershipPlan = SPACE_MEMBERSHIP_PLANS.schema;
export type TSpaceMembershipPlan = z.infer<typeof ZSpaceMembershipPlan>;

/** 0 for drop-in … 3 for tenant staff; a plan satisfies a minimum when its rank is ≥ it. */
export function planRank(plan: TSpaceMembershipPlan): number {
  return SPACE_MEMBERSHIP_PLANS.values.indexOf(plan);
}
