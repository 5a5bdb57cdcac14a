import { isDeepStrictEqual } from 'node:util';
import { type EventData, SPACE_KINDS, SPACE_STATUSES } from '@hub/contracts';
import type { EventDraft } from '@hub/event-bus';
import type { Space } from '../generated/prisma/client.js';

// What spaces tells other services about a space. `registered` and `updated` carry every fact
// others keep (events decides with the operator whose say a venue at the space needs), so a
// consumer is right with the newest event alone; `opened` is the announcement for feeds.

type SpaceFacts = EventData<'spaces.space.registered'>;
type SpaceChange = EventData<'spaces.space.updated'>['changed'][number];

function factsOf(space: Space): SpaceFacts {
  return {
    spaceId: space.id,
    name: space.name,
    kind: SPACE_KINDS.valueOf(space.kind),
    status: SPACE_STATUSES.valueOf(space.status),
    municipalityCode: space.municipalityCode,
    operatorId: space.operatorId,
    latitude: space.latitude,
    longitude: space.longitude,
  };
}

/**
 * Which columns make up each kind of change. Every column a client can read is here, so any
 * change of a space is announced (caches purge by these events); bookkeeping columns
 * (`searchText`, timestamps) are not facts.
 */
const COLUMNS_OF_CHANGE = {
  name: ['name'],
  kind: ['kind'],
  status: ['status'],
  municipality: ['municipalityCode'],
  operator: ['operatorId'],
  'other-names': ['nameKana', 'nameEn'],
  location: ['latitude', 'longitude'],
  address: ['postalCode', 'town', 'addressLine', 'building'],
  facilities: ['facilities'],
  capacity: ['capacity'],
  admission: ['admissionPolicy'],
  prices: ['dropInPriceYen', 'monthlyPriceYen'],
  hours: ['weeklyHours', 'closedOnHolidays'],
  'hours-exceptions': ['hoursExceptions'],
  description: ['description', 'descriptionEn'],
  'house-rules': ['houseRules'],
  contact: ['websiteUrl', 'phone'],
  links: ['links'],
  photos: ['photoUrls'],
  'opened-on': ['openedOn'],
} as const satisfies Record<SpaceChange, readonly (keyof Space)[]>;

/** The kinds of change between two versions of a space, in the contract's order. */
function changesOf(before: Space, after: Space): SpaceChange[] {
  return (Object.entries(COLUMNS_OF_CHANGE) as [SpaceChange, readonly (keyof Space)[]][])
    .filter(([, columns]) =>
      columns.some((column) => !isDeepStrictEqual(before[column], after[column])),
    )
    .map(([change]) => change);
}

/** The events of a new space: always `registered`, and `opened` when it opens at once. */
export function eventsOfNewSpace(space: Space): EventDraft[] {
  const registered: EventDraft = {
    type: 'spaces.space.registered',
    subject: space.id,
    data: factsOf(space),
  };
  return space.status === 'OPEN' ? [registered, opened(space)] : [registered];
}

/**
 * The events of a change: `updated` when anything about the space changed (none when an
 * update wrote the values it already had), and `opened` when the space moved to OPEN.
 */
export function eventsOfChange(before: Space, after: Space): EventDraft[] {
  const changed = changesOf(before, after);
  if (changed.length === 0) return [];
  const updated: EventDraft = {
    type: 'spaces.space.updated',
    subject: after.id,
    data: { ...factsOf(after), changed },
  };
  return before.status !== 'OPEN' && after.status === 'OPEN' ? [updated, opened(after)] : [updated];
}

function opened(space: Space): EventDraft {
  const { status: _status, latitude: _latitude, longitude: _longitude, ...facts } = factsOf(space);
  return { type: 'spaces.space.opened', subject: space.id, data: facts };
}
