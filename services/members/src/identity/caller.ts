import { isMember } from '@hub/identity';
import { AppError, type HubContext } from '@hub/service-kit';

/**
 * The signed-in member's id. Fields that call this also declare `member` scope-auth, so a
 * caller without one is refused before; this keeps resolvers typed without a cast.
 */
export function callerMemberId(context: HubContext): string {
  if (!isMember(context.identity)) {
    throw new AppError('UNAUTHENTICATED', 'サインインが必要です (sign-in required)');
  }
  return context.identity.memberId;
}
