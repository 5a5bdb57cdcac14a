import { type Identity, isHubAdmin, staffOrganizationIds } from '@hub/identity';

// A link that names another organisation (a co-organiser, a client, a consortium member …)
// takes effect only when that organisation's staff made it or its admin confirms it; until
// then it is pending and shown to nobody but the two sides (docs/authorization.md, "Links that
// name another organisation"). Otherwise anyone could create an organisation and attach any
// other one to it in public.

/** Whether the caller answers for an organisation. */
export type SpeaksFor = (organizationId: string) => boolean;

/**
 * The caller speaks for an organisation when it is a hub admin or holds a staff role there
 * (staff, coordinator, admin — the token's `staffOf`). A link it makes naming such an
 * organisation takes effect at once; a pending link is shown to those who speak for one of
 * its two sides.
 */
export function callerSpeaksFor(identity: Identity | null | undefined): SpeaksFor {
  if (isHubAdmin(identity)) return () => true;
  const staffOf = new Set(staffOrganizationIds(identity));
  return (organizationId) => staffOf.has(organizationId);
}

/** Demo data: the links it holds are official, so every one of them counts. */
export const HUB_SPEAKS_FOR_ALL: SpeaksFor = () => true;
