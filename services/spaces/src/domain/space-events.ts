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
  };
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
 * The events of a change: `updated` when a fact others keep changed (none for, say, new house
 * rules), and `opened` when the space moved to OPEN.
 */
export function eventsOfChange(before: Space, after: Space): EventDraft[] {
  const changed = (
    [
      ['name', before.name !== after.name],
      ['kind', before.kind !== after.kind],
      ['status', before.status !== after.status],
      ['municipality', before.municipalityCode !== after.municipalityCode],
      ['operator', before.operatorId !== after.operatorId],
    ] as [SpaceChange, boolean][]
  ).flatMap(([fact, hasChanged]) => (hasChanged ? [fact] : []));
  if (changed.length === 0) return [];
  const updated: EventDraft = {
    type: 'spaces.space.updated',
    subject: after.id,
    data: { ...factsOf(after), changed },
  };
  return before.status !== 'OPEN' && after.status === 'OPEN' ? [updated, opened(after)] : [updated];
}

function opened(space: Space): EventDraft {
  const { status: _status, ...facts } = factsOf(space);
  return { type: 'spaces.space.opened', subject: space.id, data: facts };
}
