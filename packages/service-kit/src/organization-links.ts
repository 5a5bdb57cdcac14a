import { type Identity, isHubAdmin, staffOrganizationIds } from '@hub/identity';

// A link that names another organisation (a co-organiser, a client, a consortium member …)
// takes effect only when that organisation's staff made it or its admin confirms it; until
// then it is pending and shown to nobody but the two sides (docs/authorization.md, "Links that
// name another organisation"). Otherwise anyone could create an organisation and attach any
// other one to it in public.

/** Whether the caller answers for an organisation. */
export type SpeaksFor = (organizationId: string) => boolean;

/**
 * The organisations a caller speaks for, as data a service can keep with a link it cannot
 * decide yet — one naming an organisation it does not know yet (a venue at a space whose
 * operator it has not heard of): the link takes effect once that organisation turns out to be
 * one of these. `'all'` for a hub admin.
 */
export type SpokenFor = 'all' | readonly string[];

/**
 * The caller speaks for an organisation when it is a hub admin or holds a staff role there
 * (staff, coordinator, admin — the token's `staffOf`).
 */
export function callerSpokenFor(identity: Identity | null | undefined): SpokenFor {
  return isHubAdmin(identity) ? 'all' : staffOrganizationIds(identity);
}

/** The question "does it speak for this organisation?" over kept `SpokenFor` data. */
export function speaksForOf(spokenFor: SpokenFor): SpeaksFor {
  if (spokenFor === 'all') return () => true;
  const organizationIds = new Set(spokenFor);
  return (organizationId) => organizationIds.has(organizationId);
}

/**
 * Whether the caller speaks for an organisation (`callerSpokenFor`). A link it makes naming
 * such an organisation takes effect at once; a pending link is shown to those who speak for
 * one of its two sides.
 */
export function callerSpeaksFor(identity: Identity | null | undefined): SpeaksFor {
  return speaksForOf(callerSpokenFor(identity));
}

/** Demo data: the links it holds are official, so every one of them counts. */
export const HUB_SPEAKS_FOR_ALL: SpeaksFor = speaksForOf('all');
