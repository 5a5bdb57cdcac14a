import { type HubContext, hubAuthScopes } from '@hub/service-kit';
import type { HelpRequest } from '../../generated/prisma/client.js';

/**
 * Who reads a help request: the asker and hub admins always; every signed-in member when the
 * asker chose MEMBERS. Partner keys and anonymous callers never (it is the asker's wish and
 * place, and no consent purpose covers it).
 */
export function mayReadHelpRequest(context: HubContext, request: HelpRequest): boolean {
  const { identity } = context;
  if (identity?.kind !== 'member') return false;
  return (
    identity.memberId === request.askerId ||
    hubAuthScopes(context).admin ||
    request.visibleTo === 'MEMBERS'
  );
}
