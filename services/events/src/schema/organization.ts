import {
  ConflictError,
  callerSpeaksFor,
  defineMutation,
  InvalidInputError,
  isUuid,
  NotFoundError,
  organizationRef,
  resolveGroupedConnection,
} from '@hub/service-kit';
import { builder, type EventsContext } from '../builder.js';
import { confirmEventOrganizer } from '../domain/confirm-event-organizer.js';
import { declineEventOrganizer } from '../domain/decline-event-organizer.js';
import type { EventVenue, Prisma } from '../generated/prisma/client.js';
import { EventConnection, EventRef } from './event.js';
import { EventVenueConnection, EventVenueRef } from './event-venue.js';

/** Organizations are owned by the members service; events only knows their id. */
const OrganizationRef = organizationRef(builder, {
  fields: (t) => ({
    // Nullable: when this subgraph is down the gateway still returns the parent entity.
    events: t.connection(
      {
        type: EventRef,
        nullable: true,
        description:
          'この組織が主催するイベント — 新しい順、下書きを除く。確認待ちの共催は含まない (events it organizes, newest first, drafts excluded; not those where its part as co-organiser awaits confirmation)',
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'eventsByOrganizer', {
            parent: organization.id,
            args,
            fetch: (organizerIds) =>
              context.prisma.event.findMany({
                where: {
                  organizerIds: { hasSome: [...organizerIds] },
                  status: { not: 'DRAFT' },
                },
                orderBy: ORGANIZATION_EVENT_ORDER,
              }),
            groupOf: (event) => event.organizerIds,
          }),
      },
      EventConnection,
    ),
    pendingEvents: t.connection(
      {
        type: EventRef,
        nullable: true,
        description:
          '確認待ちの共催があるイベント — この組織が共催者として挙げられ管理者の確認を待つもの、またはこの組織が主催し他の組織の確認を待つもの。新しい順。その組織のスタッフとハブ管理者のみ (events with a pending co-organiser link this organisation is a side of: named as co-organiser and awaiting its admin’s answer, or organised by it and awaiting another organisation’s; newest first; staff of the organisation and hub admins only)',
        authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'pendingEventsByOrganization', {
            parent: organization.id,
            args,
            fetch: (organizationIds) => pendingEventsOf(context, organizationIds),
            // Every event found has a pending link, so each of its organisers is a side of one.
            groupOf: (event) => [...event.organizerIds, ...event.pendingOrganizerIds],
          }),
      },
      EventConnection,
    ),
    pendingEventVenues: t.connection(
      {
        type: EventVenueRef,
        nullable: true,
        description:
          '確認待ちの会場 — この組織が運営する拠点を会場とし管理者の確認を待つもの、またはこの組織が主催し拠点の運営組織の確認を待つもの。イベントの新しい順。その組織のスタッフとハブ管理者のみ (event venues with a pending link this organisation is a side of: at a space it operates and awaiting its admin’s answer, or of an event it organises and awaiting the operator’s; newest events first; staff of the organisation and hub admins only)',
        authScopes: (organization) => ({ admin: true, staffOf: [organization.id] }),
        resolve: (organization, args, context) =>
          resolveGroupedConnection(context, 'pendingVenuesByOrganization', {
            parent: organization.id,
            args,
            fetch: (organizationIds) => pendingVenuesOf(context, organizationIds),
            groupOf: (row) => [...(row.operatorId ? [row.operatorId] : []), ...row.organizerIds],
          }),
      },
      EventVenueConnection,
    ),
  }),
});

/** An organisation's events, newest first; `id` last makes the order total, as cursors need. */
const ORGANIZATION_EVENT_ORDER = [
  { startsAt: 'desc' },
  { id: 'asc' },
] satisfies Prisma.EventOrderByWithRelationInput[];

type PendingVenueRow = EventVenue & { operatorId: string | null; organizerIds: string[] };

/**
 * Pending venues where each organisation is a side — the space's operator (as events knows it)
 * or an organiser of the event: one query (a join with the operator read model).
 */
function pendingVenuesOf(context: EventsContext, organizationIds: readonly string[]) {
  const ids = organizationIds.filter(isUuid);
  if (ids.length === 0) return Promise.resolve([]);
  return context.prisma.$queryRawUnsafe<PendingVenueRow[]>(
    `SELECT v.id::text, v.event_id::text AS "eventId", v.position, v.space_id::text AS "spaceId",
                v.place_name AS "placeName", v.municipality_code AS "municipalityCode",
                v.capacity, v.stream_url AS "streamUrl", v.confirmed_at AS "confirmedAt",
                v.publisher_organization_ids::text[] AS "publisherOrganizationIds",
                o.operator_id::text AS "operatorId", e.organizer_ids::text[] AS "organizerIds"
           FROM event_venue v
           JOIN event e ON e.id = v.event_id
           LEFT JOIN space_operator o ON o.space_id = v.space_id
          WHERE v.confirmed_at IS NULL
            AND (o.operator_id = ANY($1::uuid[]) OR e.organizer_ids && $1::uuid[])
          ORDER BY e.starts_at DESC, e.id, v.position`,
    ids,
  );
}

/** Events with pending organisers where each organisation is a side: one query. */
function pendingEventsOf(context: EventsContext, organizationIds: readonly string[]) {
  const ids = organizationIds.filter(isUuid);
  if (ids.length === 0) return Promise.resolve([]);
  return context.prisma.event.findMany({
    where: {
      OR: [
        { pendingOrganizerIds: { hasSome: ids } },
        { organizerIds: { hasSome: ids }, pendingOrganizerIds: { isEmpty: false } },
      ],
    },
    orderBy: ORGANIZATION_EVENT_ORDER,
  });
}

builder.prismaObjectField('Event', 'organizers', (t) =>
  t.field({
    type: [OrganizationRef],
    description:
      '主催組織 — 確認済みのもの (organizing organizations whose part is confirmed; pending co-organisers are in pendingOrganizers)',
    resolve: (event) => event.organizerIds.map((id) => ({ id })),
  }),
);

builder.prismaObjectField('Event', 'pendingOrganizers', (t) =>
  t.field({
    type: [OrganizationRef],
    description:
      '確認待ちの共催組織 — イベントの主催組織のスタッフとハブ管理者にはすべて、挙げられた組織のスタッフにはその組織だけ、他の人には空 (co-organisers named without their say, awaiting their admin’s confirmation: all of them for staff of the event’s organisers and hub admins, only their own organisation for its staff, none for anyone else)',
    resolve: (event, _args, context) => {
      const speaksFor = callerSpeaksFor(context.identity);
      // The organisers made the link; a named organisation sees only its own.
      const visible = event.organizerIds.some(speaksFor)
        ? event.pendingOrganizerIds
        : event.pendingOrganizerIds.filter(speaksFor);
      return visible.map((id) => ({ id }));
    },
  }),
);

const ConfirmEventOrganizerInput = builder.inputType('ConfirmEventOrganizerInput', {
  description: '共催の確認 (confirming a co-organiser link)',
  fields: (t) => ({
    eventId: t.id({ required: true, description: 'イベント ID (event id)' }),
    organizationId: t.id({
      required: true,
      description: '共催者として挙げられた組織の ID (the organisation named as co-organiser)',
    }),
  }),
});

const DeclineEventOrganizerInput = builder.inputType('DeclineEventOrganizerInput', {
  description: '共催の辞退 (declining a co-organiser link)',
  fields: (t) => ({
    eventId: t.id({ required: true, description: 'イベント ID (event id)' }),
    organizationId: t.id({
      required: true,
      description: '共催者として挙げられた組織の ID (the organisation named as co-organiser)',
    }),
  }),
});

defineMutation(builder, 'confirmEventOrganizer', {
  description:
    '確認待ちの共催を確認する — 以後その組織は主催組織として公開される。その組織の管理者かハブ管理者のみ (confirm that your organisation co-organises an event it was named for: from now on it is shown as an organiser; the organisation’s admin or a hub admin)',
  input: { type: ConfirmEventOrganizerInput, description: '確認する共催 (the link)' },
  success: { field: 'event', type: EventRef, description: '共催するイベント (the event)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input) => ({ admin: true, orgAdmin: input.organizationId }),
  resolve: (input, context) => confirmEventOrganizer(context.prisma, input),
});

defineMutation(builder, 'declineEventOrganizer', {
  description:
    '確認待ちの共催を辞退する — 共催者から外れ、イベントは他の主催組織のもとで公開のまま。その組織の管理者かハブ管理者のみ (decline to co-organise an event your organisation was named for: the link is removed and the event stays published under its other organisers; the organisation’s admin or a hub admin)',
  input: { type: DeclineEventOrganizerInput, description: '辞退する共催 (the link)' },
  success: { field: 'event', type: EventRef, description: '辞退したイベント (the event)' },
  // CONFLICT: the organisation is already a confirmed organiser.
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input) => ({ admin: true, orgAdmin: input.organizationId }),
  resolve: (input, context) => declineEventOrganizer(context.prisma, input),
});
