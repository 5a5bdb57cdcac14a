import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { type EventEnvelope, serviceOf, ZEventEnvelope, ZName } from './envelope.js';

// Every event type is defined once, here: version + zod schema of `data`. Producers build
// events with createEvent (validated before they reach the outbox); consumers get them through
// parseEvent (validated again, since the producer may run a different build).

const ZMemberKind = z.enum([
  'freelancer',
  'small-business',
  'student',
  'founder',
  'teleworker',
  'employee',
]);

export const ZMemberRegistered = z.object({
  memberId: z.uuid(),
  displayName: z.string(),
  displayNameKana: z.string().nullable().optional(),
  kind: ZMemberKind,
  municipalityCode: z.string().nullable(),
  skills: z.array(z.object({ code: z.string(), level: z.int().min(1).max(5) })),
});

/** Facts other services keep about a member changed (skills, availability, place, kind). */
export const ZMemberProfileUpdated = z.object({
  memberId: z.uuid(),
  displayName: z.string(),
  kind: ZMemberKind,
  municipalityCode: z.string().nullable(),
  homeMunicipalityCode: z.string().nullable(),
  availableHoursPerWeek: z.int().min(0).max(168).nullable(),
  skills: z.array(
    z.object({ code: z.string(), level: z.int().min(1).max(5), isVerified: z.boolean() }),
  ),
  /** Which of the facts above changed. */
  changed: z.array(z.enum(['displayName', 'kind', 'municipality', 'availability', 'skills'])),
});

/**
 * A member's account was erased (APPI): every service anonymises or deletes what it holds about
 * them. Carries no personal data, only the id others key their rows by.
 */
export const ZMemberErased = z.object({
  memberId: z.uuid(),
  erasedAt: z.iso.datetime({ offset: true }),
  requestedBy: z.enum(['member', 'admin']),
});

export const ZAffiliationChanged = z.object({
  affiliationId: z.uuid(),
  memberId: z.uuid(),
  organizationId: z.uuid(),
  role: z.enum(['worker', 'staff', 'coordinator', 'leader', 'expert', 'admin', 'contact']),
  startsOn: z.iso.date(),
  endsOn: z.iso.date().nullable(),
  change: z.enum(['started', 'ended']),
});

export const ZOrganizationCreated = z.object({
  organizationId: z.uuid(),
  name: z.string(),
  kind: z.string(),
  municipalityCode: z.string().nullable(),
});

const ZSpaceKind = z.enum(['coworking', 'telework-centre', 'satellite-office']);

/** A space is open to its users: created as open, or moved to open later (opened, reopened). */
export const ZSpaceOpened = z.object({
  spaceId: z.uuid(),
  name: z.string(),
  kind: ZSpaceKind,
  municipalityCode: z.string(),
  operatorId: z.string().nullable(),
});

/**
 * What other services keep about a space: every fact, so the newest event is the whole truth
 * and a consumer never needs an older one. Who operates it decides whose say a venue there
 * needs (docs/authorization.md, "Links that name another organisation").
 */
const ZSpaceFacts = z.object({
  spaceId: z.uuid(),
  name: z.string(),
  kind: ZSpaceKind,
  status: z.enum(['planned', 'open', 'closed']),
  municipalityCode: z.string(),
  /** Organization (members service) running the space; null when none does. */
  operatorId: z.uuid().nullable(),
});

/** A space was created, whatever its status (`space.opened` follows when it is open). */
export const ZSpaceRegistered = ZSpaceFacts;

/** Facts of `ZSpaceRegistered` changed; written only when one of them did. */
export const ZSpaceUpdated = ZSpaceFacts.extend({
  /** Which of the facts changed. */
  changed: z.array(z.enum(['name', 'kind', 'status', 'municipality', 'operator'])).min(1),
});

export const ZEventPublished = z.object({
  eventId: z.uuid(),
  title: z.string(),
  kind: z.string(),
  // An instant, with Z or an offset (events are scheduled in JST).
  startsAt: z.iso.datetime({ offset: true }),
  /** Spaces of the venues that took effect; a venue awaiting its operator's say is left out. */
  venueSpaceIds: z.array(z.string()),
});

/**
 * A work order took effect: written when the last organisation it names (client, receiving
 * centre) has confirmed — at posting when the poster speaks for both — never for a pending or
 * declined one.
 */
export const ZWorkOrderPosted = z.object({
  workOrderId: z.uuid(),
  clientId: z.uuid(),
  title: z.string(),
  category: z.string(),
});

export const ZProgramPublished = z.object({
  programId: z.uuid(),
  providerId: z.uuid(),
  title: z.string(),
  kind: z.string(),
});

/**
 * An event will not take place. `reason` is open text (e.g. `venue-declined`: its last venue's
 * operator declined it), so a new reason never makes older consumers reject the event.
 */
export const ZEventCancelled = z.object({
  eventId: z.uuid(),
  reason: z.string().min(1),
});

/**
 * Purposes of use a member consents to (`CONSENT_PURPOSES` in @hub/identity; repeated here
 * because the event bus depends on no domain package).
 */
const ZConsentPurpose = z.enum([
  'municipal-relocation-support',
  'work-matching',
  'program-guidance',
]);

/**
 * A member consented to a partner organisation receiving their personal data for a purpose
 * (APPI art. 27), under this version of the purpose's privacy notice. Services holding personal
 * data keep the newest state per (member, recipient, purpose) to let that partner read; a newer
 * notice version given for the same recipient and purpose replaces the older consent.
 */
export const ZConsentGranted = z.object({
  memberId: z.uuid(),
  recipientOrganizationId: z.uuid(),
  purpose: ZConsentPurpose,
  noticeVersion: z.string().min(1),
  grantedAt: z.iso.datetime({ offset: true }),
});

/**
 * The member's consent to this recipient for this purpose ended: withdrawn by the member, or
 * gone with the member's erasure (`cause`). From then on that partner reads nothing under it.
 */
export const ZConsentWithdrawn = z.object({
  memberId: z.uuid(),
  recipientOrganizationId: z.uuid(),
  purpose: ZConsentPurpose,
  withdrawnAt: z.iso.datetime({ offset: true }),
  cause: z.enum(['withdrawal', 'erasure']),
});

/**
 * A partner key read personal data of a member in the producing service: the audit entry the
 * members service records in the member's audit log (one per partner key, member and request
 * in that service). Events about the same entry (fields read later in the same request) share
 * `auditEntryId`; the entry holds every field any of them names. Ids and field names only,
 * never the data read.
 */
export const ZPartnerReadRecorded = z.object({
  auditEntryId: z.uuid(),
  memberId: z.uuid(),
  apiKeyId: z.uuid(),
  organizationId: z.uuid(),
  /** Field names as the service's personal-data table names them (e.g. `Worker.skills`). */
  fields: z.array(z.string().min(1).max(200)).min(1).max(200),
  requestId: z.string().max(200).nullable(),
  readAt: z.iso.datetime({ offset: true }),
});

export type EventDefinition = { version: number; schema: z.ZodType };

export const eventCatalog = {
  'members.member.registered': { version: 1, schema: ZMemberRegistered },
  'members.member.profile-updated': { version: 1, schema: ZMemberProfileUpdated },
  'members.member.erased': { version: 1, schema: ZMemberErased },
  'members.organization.created': { version: 1, schema: ZOrganizationCreated },
  'members.affiliation.changed': { version: 1, schema: ZAffiliationChanged },
  'members.consent.granted': { version: 1, schema: ZConsentGranted },
  'members.consent.withdrawn': { version: 1, schema: ZConsentWithdrawn },
  'spaces.space.opened': { version: 1, schema: ZSpaceOpened },
  'spaces.space.registered': { version: 1, schema: ZSpaceRegistered },
  'spaces.space.updated': { version: 1, schema: ZSpaceUpdated },
  'events.event.published': { version: 1, schema: ZEventPublished },
  'events.event.cancelled': { version: 1, schema: ZEventCancelled },
  'matching.work-order.posted': { version: 1, schema: ZWorkOrderPosted },
  'matching.partner-read.recorded': { version: 1, schema: ZPartnerReadRecorded },
  'support-programs.program.published': { version: 1, schema: ZProgramPublished },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof eventCatalog;
export type EventData<K extends EventType> = z.infer<(typeof eventCatalog)[K]['schema']>;
/** A parsed event of one known type. */
export type EventOf<K extends EventType> = EventEnvelope<EventData<K>> & { type: K };

/** Thrown when an event does not match the envelope or its type's schema. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  readonly issues: string[];

  constructor(message: string, issues: string[] = []) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.issues = issues;
  }
}

function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

function definitionOf(type: string): EventDefinition {
  if (!isEventType(type)) {
    throw new InvalidEventError(
      `Unknown event type '${type}': it is not in the @hub/event-bus event catalog`,
    );
  }
  return eventCatalog[type];
}

export type CreateEventInput<K extends EventType> = {
  source: string;
  subject: string;
  data: EventData<K>;
};

/** Builds a new event (fresh UUID v7, now as occurredAt); throws InvalidEventError on bad data. */
export function createEvent<K extends EventType>(
  type: K,
  input: CreateEventInput<K>,
): EventEnvelope<EventData<K>> {
  const definition = definitionOf(type);
  const result = definition.schema.safeParse(input.data);
  if (!result.success) {
    throw new InvalidEventError(
      `Invalid data for event '${type}'`,
      describeIssues(result.error, 'data'),
    );
  }
  const event: EventEnvelope<EventData<K>> = {
    id: uuidv7(),
    type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    source: input.source,
    subject: input.subject,
    data: result.data as EventData<K>,
  };
  const envelope = ZEventEnvelope.safeParse(event);
  if (!envelope.success) {
    throw new InvalidEventError(
      `Invalid envelope for event '${type}'`,
      describeIssues(envelope.error),
    );
  }
  return event;
}

/**
 * Validates a received event: envelope, known type, matching version and data schema.
 * Accepts the decoded object or its JSON text. Throws InvalidEventError with every problem.
 */
export function parseEvent(raw: unknown): EventEnvelope {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidEventError('Invalid event: payload is not JSON');
    }
  }
  const envelope = ZEventEnvelope.safeParse(value);
  if (!envelope.success) {
    const type = (value as { type?: unknown } | null)?.type;
    const label = typeof type === 'string' ? ` '${type}'` : '';
    throw new InvalidEventError(`Invalid event envelope${label}`, describeIssues(envelope.error));
  }
  const { type, version, id } = envelope.data;
  const definition = definitionOf(type);
  if (version !== definition.version) {
    throw new InvalidEventError(
      `Unsupported version ${version} of event '${type}' (id ${id}): this build knows version ${definition.version}`,
    );
  }
  const data = definition.schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(
      `Invalid data for event '${type}' (id ${id})`,
      describeIssues(data.error, 'data'),
    );
  }
  return { ...envelope.data, data: data.data };
}

/** Narrows a parsed event to one type, so handlers get typed `data`. */
export function isEvent<K extends EventType>(event: EventEnvelope, type: K): event is EventOf<K> {
  return event.type === type;
}

// Subjects and streams. `namespace` isolates a whole environment on a shared NATS server
// (tests, several local stacks); production leaves it out.

/** NATS subject of an event type: `hub.<service>.<aggregate>.<event>`. */
export function subjectFor(type: string, namespace?: string): string {
  return `${namespacePrefix(namespace)}hub.${type}`;
}

/** The JetStream stream holding every event of one service, e.g. HUB_SUPPORT_PROGRAMS. */
export function streamFor(
  service: string,
  namespace?: string,
): { name: string; subjects: string[] } {
  const checked = ZName.safeParse(service);
  if (!checked.success) {
    throw new Error(`Invalid service name '${service}': ${checked.error.issues[0]?.message}`);
  }
  const base = `HUB_${toStreamToken(service)}`;
  return {
    name: namespace ? `${toStreamToken(checkNamespace(namespace))}_${base}` : base,
    subjects: [`${namespacePrefix(namespace)}hub.${service}.>`],
  };
}

/** The stream an event type is stored in. */
export function streamForType(
  type: string,
  namespace?: string,
): { name: string; subjects: string[] } {
  return streamFor(serviceOf(type), namespace);
}

function namespacePrefix(namespace: string | undefined): string {
  return namespace ? `${checkNamespace(namespace)}.` : '';
}

function checkNamespace(namespace: string): string {
  const checked = ZName.safeParse(namespace);
  if (!checked.success) {
    throw new Error(`Invalid namespace '${namespace}': ${checked.error.issues[0]?.message}`);
  }
  return namespace;
}

function toStreamToken(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}
