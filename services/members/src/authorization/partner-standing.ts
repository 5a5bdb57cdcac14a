import { isPartner } from '@hub/identity';
import { requestLoader } from '@hub/service-kit';
import type { MembersContext } from '../builder.js';
import { keyRefusal } from '../domain/partners/partner-ceiling.js';

/** Partnerships by organisation: one query for every organisation a request asks about. */
export function partnershipLoader(context: MembersContext) {
  return requestLoader(context, 'partnershipByOrganization', {
    fetch: (organizationIds: readonly string[]) =>
      context.prisma.partnership.findMany({
        where: { organizationId: { in: [...organizationIds] } },
      }),
    keyOf: (partnership) => partnership.organizationId,
  });
}

/**
 * Whether the calling partner key may be used now: its organisation is a partner and the
 * key's scopes and purpose are within the ceiling (else the code to refuse with). The gateway
 * asked the same when it verified the key, but it caches that answer for up to 10 s; reading
 * the partnership once per request makes a withdrawal or a lowered ceiling stop personal-data
 * reads at once.
 */
export async function partnerKeyRefusal(
  context: MembersContext,
): Promise<'NOT_A_PARTNER' | 'OUTSIDE_PARTNER_CEILING' | null> {
  const { identity } = context;
  if (!isPartner(identity)) return null;
  return keyRefusal(await partnershipLoader(context).load(identity.organizationId), identity);
}
