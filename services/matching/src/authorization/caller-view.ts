import { hubAuthScopes } from '@hub/service-kit';
import type { MatchingContext } from '../builder.js';
import type { TrustViewer } from '../read-models/trust.js';
import { callerStaffOrganizationIds } from './worker-access.js';

// What the caller may read of facts matching copies from other services, for values derived
// from them (a referral distance, a shared home space): a derived value reveals no more than
// the caller could read of the facts behind it.

/**
 * The referral links the caller may read (members' rule, src/read-models/trust.ts): every link
 * for a hub admin; for a member, the links the trust-holes rule lets them see. Not a member
 * (a service call or a partner key): null — no distance at all.
 */
export function callerTrustViewer(context: MatchingContext, today: string): TrustViewer | null {
  const identity = context.identity;
  if (identity?.kind !== 'member') return null;
  if (hubAuthScopes(context).admin) return 'everyone';
  return {
    memberId: identity.memberId,
    staffOrganizationIds: callerStaffOrganizationIds(context),
    today,
  };
}

/**
 * Whose home-space memberships the caller may read — spaces' rule for a membership
 * (services/spaces/src/authorization/membership-rules.ts: every fact of it is `personal`, and
 * its "registered staff" are the staff of the space's operator): every one for a hub admin;
 * otherwise, besides their own, those at spaces operated by an organisation they are staff of.
 * Another member's membership at a space the caller also uses is not the caller's to read.
 */
export type MembershipReaders = { all: true } | { all: false; operatorIds: readonly string[] };

export function callerMembershipReaders(context: MatchingContext): MembershipReaders {
  if (hubAuthScopes(context).admin) return { all: true };
  return { all: false, operatorIds: callerStaffOrganizationIds(context) };
}
