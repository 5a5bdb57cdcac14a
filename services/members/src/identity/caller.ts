import { isMember } from '@hub/identity';
import { type HubContext, unauthorizedError } from '@hub/service-kit';

/**
 * The signed-in member's id. Fields that call this also declare `member` scope-auth, so a
 * caller without one is refused before; this keeps resolvers typed without a cast.
 */
export function callerMemberId(context: HubContext): string {
  if (isMember(context.identity)) return context.identity.memberId;
  throw unauthorizedError(context);
}
