import { randomUUID } from 'node:crypto';
import { type EventData, todayInJapan } from '@hub/contracts';
import { createEvent, type EventEnvelope } from '@hub/event-bus';

/** The same event as if it had happened `ms` earlier (negative: later), under a new id. */
export function shifted<T extends EventEnvelope>(event: T, ms: number, data?: object): T {
  return {
    ...event,
    id: randomUUID(),
    occurredAt: new Date(Date.parse(event.occurredAt) - ms).toISOString(),
    ...(data ? { data: { ...(event.data as object), ...data } } : {}),
  };
}

export function memberRegistered(
  overrides: Partial<{
    memberId: string;
    displayName: string;
    municipalityCode: string | null;
  }> = {},
) {
  const memberId = overrides.memberId ?? randomUUID();
  return createEvent('members.member.registered', {
    subject: memberId,
    data: {
      memberId,
      displayName: overrides.displayName ?? '佐藤 美咲',
      displayNameKana: 'さとう みさき',
      kind: 'teleworker',
      municipalityCode:
        overrides.municipalityCode === undefined ? '012157' : overrides.municipalityCode,
      skills: [
        { code: 'office-processing', level: 3 },
        { code: 'data-entry', level: 2 },
        { code: 'data-entry', level: 4 },
      ],
    },
  });
}

export function profileUpdated(
  memberId: string,
  overrides: Partial<EventData<'members.member.profile-updated'>> = {},
) {
  return createEvent('members.member.profile-updated', {
    subject: memberId,
    data: {
      memberId,
      displayName: '佐藤 美咲 (更新)',
      kind: 'freelancer',
      municipalityCode: '011002',
      homeMunicipalityCode: '012157',
      availableHoursPerWeek: 20,
      skills: [
        { code: 'web-site-building', level: 2, isVerified: false },
        { code: 'data-entry', level: 5, isVerified: true },
      ],
      changed: ['displayName', 'kind', 'municipality', 'availability', 'skills'],
      ...overrides,
    },
  });
}

export function memberErased(memberId: string = randomUUID()) {
  return createEvent('members.member.erased', {
    subject: memberId,
    data: { memberId, erasedAt: new Date().toISOString(), requestedBy: 'member' },
  });
}

export type AffiliationFacts = EventData<'members.affiliation.changed'>;

/**
 * An affiliation as members announces it: confirmed, of a fresh member and organisation unless
 * given. `startsOn` defaults to a date long past, so the affiliation is active today.
 */
export function affiliationChanged(overrides: Partial<AffiliationFacts> = {}) {
  const data: AffiliationFacts = {
    affiliationId: randomUUID(),
    memberId: randomUUID(),
    organizationId: randomUUID(),
    role: 'worker',
    startsOn: '2024-04-01',
    endsOn: null,
    change: 'started',
    ...overrides,
  };
  return createEvent('members.affiliation.changed', {
    subject: data.memberId,
    data,
  });
}

/** The same affiliation, ended on `endsOn` (its last day), announced `ms` later. */
export function affiliationEnded(
  started: ReturnType<typeof affiliationChanged>,
  endsOn: string,
  ms = 1_000,
) {
  return shifted(started, -ms, { endsOn, change: 'ended' });
}

/** A YYYY-MM-DD date `days` from today in Japan (negative: before). */
export function japanDate(days: number): string {
  const today = new Date(`${todayInJapan()}T00:00:00Z`);
  today.setUTCDate(today.getUTCDate() + days);
  return today.toISOString().slice(0, 10);
}

export type ConsentFacts = { memberId: string; recipientOrganizationId: string };

/** A consent as members announces it: to this recipient, for work matching unless given. */
export function consentGranted(
  facts: ConsentFacts,
  overrides: Partial<EventData<'members.consent.granted'>> = {},
) {
  return createEvent('members.consent.granted', {
    subject: facts.memberId,
    data: {
      ...facts,
      purpose: 'work-matching',
      noticeVersion: '2026-12',
      grantedAt: new Date().toISOString(),
      ...overrides,
    },
  });
}

/** The member's consent to the recipient for the purpose ended (withdrawn unless said). */
export function consentWithdrawn(
  facts: ConsentFacts,
  overrides: Partial<EventData<'members.consent.withdrawn'>> = {},
) {
  return createEvent('members.consent.withdrawn', {
    subject: facts.memberId,
    data: {
      ...facts,
      purpose: 'work-matching',
      withdrawnAt: new Date().toISOString(),
      cause: 'withdrawal',
      ...overrides,
    },
  });
}

/** members.organization.created, located in the municipality given (Shiojiri unless said). */
export function organizationCreated(
  overrides: Partial<EventData<'members.organization.created'>> = {},
) {
  const data: EventData<'members.organization.created'> = {
    organizationId: randomUUID(),
    name: 'テスト組織',
    kind: 'company',
    municipalityCode: '202151',
    ...overrides,
  };
  return createEvent('members.organization.created', { subject: data.organizationId, data });
}
