import {
  ConflictError,
  callerSpokenFor,
  defineConnection,
  defineMutation,
  InvalidInputError,
  NotFoundError,
  requestLoader,
  type SpokenFor,
  speaksForOf,
} from '@hub/service-kit';
import { builder, type EventsContext } from '../builder.js';
import { confirmEventVenue } from '../domain/confirm-event-venue.js';
import { declineEventVenue } from '../domain/decline-event-venue.js';
import type { EventVenue } from '../generated/prisma/client.js';
import { EventRef, eventLoader } from './event.js';

export const EventVenueRef = builder.prismaObject('EventVenue', {
  description: '会場 — 拠点 (Space) か外部の場所 (a venue: a space, or an outside place)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    placeName: t.exposeString('placeName', {
      nullable: true,
      description: '外部会場の名称 (name of an outside place)',
    }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '会場の市区町村コード (municipality code of the venue, when known)',
    }),
    capacity: t.exposeInt('capacity', { nullable: true, description: '定員 (capacity, people)' }),
    streamUrl: t.exposeString('streamUrl', {
      nullable: true,
      description: '中継 URL — 同時開催の会場をつなぐ (stream URL linking simultaneous venues)',
    }),
    isConfirmed: t.boolean({
      description:
        '会場として確定しているか — 拠点の運営組織の確認待ちなら false (確認待ちの会場はイベントの主催組織・拠点の運営組織のスタッフとハブ管理者にだけ見える) (whether the venue is in effect; false while it awaits the space operator’s confirmation — such a venue is shown only to staff of the event’s organisers and of the operator, and to hub admins)',
      resolve: (venue) => venue.confirmedAt !== null,
    }),
    event: t.field({
      type: EventRef,
      description: 'この会場のイベント (the event held at this venue)',
      resolve: async (venue, _args, context) => {
        const event = await eventLoader(context).load(venue.eventId);
        // A venue is deleted with its event (foreign key), so it always has one.
        if (!event) throw new Error(`event ${venue.eventId} of venue ${venue.id} is missing`);
        return event;
      },
    }),
  }),
});

/** Every list of venues: `Organization.pendingEventVenues`. */
export const EventVenueConnection = defineConnection(builder, EventVenueRef, {
  name: 'EventVenueConnection',
  description: '会場のページ (a page of event venues)',
  edgeDescription: 'ページ内の会場とそのカーソル (an event venue in a page, with its cursor)',
});

/** Who operates each space as far as events knows: one query per request for all spaces. */
export function spaceOperatorLoader(context: EventsContext) {
  return requestLoader(context, 'spaceOperatorBySpace', {
    fetch: (spaceIds: readonly string[]) =>
      context.prisma.spaceOperator.findMany({
        where: { spaceId: { in: [...spaceIds] } },
      }),
    keyOf: (row) => row.spaceId,
  });
}

function venueLoader(context: EventsContext) {
  return requestLoader(context, 'eventVenueById', {
    fetch: (ids: readonly string[]) =>
      context.prisma.eventVenue.findMany({ where: { id: { in: [...ids] } } }),
    keyOf: (venue) => venue.id,
  });
}

/**
 * The venues a caller may see: those in effect, and the pending ones only for the two sides of
 * the link — staff of the event's organisers (who made it), staff of the space's operator (who
 * is named) — and hub admins. Nothing is looked up for callers who speak for no organisation,
 * so anonymous reads of public lists cost no query.
 */
async function visibleVenues(
  context: EventsContext,
  event: { organizerIds: string[] },
  venues: EventVenue[],
): Promise<EventVenue[]> {
  const pending = venues.filter((venue) => venue.confirmedAt === null);
  if (pending.length === 0) return venues;
  const spokenFor: SpokenFor = callerSpokenFor(context.identity);
  if (spokenFor === 'all') return venues;
  const inEffect = venues.filter((venue) => venue.confirmedAt !== null);
  if (spokenFor.length === 0) return inEffect;
  const speaksFor = speaksForOf(spokenFor);
  if (event.organizerIds.some(speaksFor)) return venues;
  const operators = await spaceOperatorLoader(context).loadMany(
    pending.flatMap((venue) => (venue.spaceId ? [venue.spaceId] : [])),
  );
  const spokenForSpaces = new Set(
    operators.flatMap((row) =>
      row && !(row instanceof Error) && row.operatorId && speaksFor(row.operatorId)
        ? [row.spaceId]
        : [],
    ),
  );
  return venues.filter(
    (venue) =>
      venue.confirmedAt !== null || (venue.spaceId !== null && spokenForSpaces.has(venue.spaceId)),
  );
}

builder.prismaObjectField('Event', 'venues', (t) =>
  t.field({
    type: [EventVenueRef],
    description:
      '会場 — 複数あれば同時開催。拠点の運営組織の確認待ちの会場は、主催組織・運営組織のスタッフとハブ管理者にだけ見える (venues; several are held simultaneously. A venue awaiting the space operator’s confirmation is shown only to staff of the event’s organisers and of the operator, and to hub admins)',
    // Loaded with the event (a join, or one batched query), then filtered per caller.
    select: (_args, _context, nestedSelection) => ({
      venues: nestedSelection({ orderBy: { position: 'asc' } }),
    }),
    resolve: (event, _args, context) => visibleVenues(context, event, event.venues),
  }),
);

/** Answers are for the admin of the space's operator as events knows it now (or hub admins). */
async function operatorAdmins(context: EventsContext, venueId: string) {
  const venue = await venueLoader(context).load(venueId);
  const operator = venue?.spaceId ? await spaceOperatorLoader(context).load(venue.spaceId) : null;
  // Unknown venues, places and spaces without a known operator: hub admins only, so nobody
  // else learns whether a venue exists (a hub admin then gets NOT_FOUND for an unknown one).
  return operator?.operatorId ? { admin: true, orgAdmin: operator.operatorId } : { admin: true };
}

const EventVenueAnswerInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      venueId: t.id({
        required: true,
        description: '確認待ちの会場の ID (the pending venue, EventVenue.id)',
      }),
    }),
  });

const ConfirmEventVenueInput = EventVenueAnswerInput(
  'ConfirmEventVenueInput',
  '会場の確認 (confirming an event venue at your space)',
);
const DeclineEventVenueInput = EventVenueAnswerInput(
  'DeclineEventVenueInput',
  '会場の辞退 (declining an event venue at your space)',
);

defineMutation(builder, 'confirmEventVenue', {
  description:
    '確認待ちの会場を確認する — 以後その拠点での開催として公開され、拠点の upcomingEvents に載る。拠点の運営組織の管理者かハブ管理者のみ (confirm an event venue at a space your organisation operates: from now on the event is shown as held there and listed in the space’s upcomingEvents; the operator’s admin or a hub admin)',
  input: { type: ConfirmEventVenueInput, description: '確認する会場 (the venue)' },
  success: { field: 'event', type: EventRef, description: '会場のイベント (the venue’s event)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: (input, context) => operatorAdmins(context, input.venueId),
  resolve: (input, context) => confirmEventVenue(context.prisma, input),
});

defineMutation(builder, 'declineEventVenue', {
  description:
    '確認待ちの会場を辞退する — 会場から外れ、イベントは他の会場で公開のまま。会場が残らなければイベントは中止。拠点の運営組織の管理者かハブ管理者のみ (decline an event venue at a space your organisation operates: the venue is removed and the event stays published at its other venues; without any venue left it is cancelled; the operator’s admin or a hub admin)',
  input: { type: DeclineEventVenueInput, description: '辞退する会場 (the venue)' },
  success: { field: 'event', type: EventRef, description: '会場のイベント (the venue’s event)' },
  // CONFLICT: the venue is already confirmed.
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input, context) => operatorAdmins(context, input.venueId),
  resolve: (input, context) => declineEventVenue(context, input),
});
