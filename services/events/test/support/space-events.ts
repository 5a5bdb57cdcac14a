import { randomUUID } from 'node:crypto';
import type { EventData } from '@hub/contracts';
import { createEvent } from '@hub/event-bus';

type SpaceFacts = EventData<'spaces.space.registered'>;

/** A space as the spaces service announces it: an open coworking space of a fresh operator. */
export function spaceRegistered(overrides: Partial<SpaceFacts> = {}) {
  const data: SpaceFacts = {
    spaceId: randomUUID(),
    name: 'Garage labs',
    kind: 'coworking',
    status: 'open',
    municipalityCode: '011002',
    operatorId: randomUUID(),
    latitude: 43.0621,
    longitude: 141.3544,
    ...overrides,
  };
  return createEvent('spaces.space.registered', {
    subject: data.spaceId,
    data,
  });
}

type SpaceChange = EventData<'spaces.space.updated'>['changed'][number];

/** A change of a space (every fact, as spaces announces it), now: by default of its operator. */
export function operatorChanged(
  spaceId: string,
  operatorId: string | null,
  changed: SpaceChange[] = ['operator'],
) {
  return createEvent('spaces.space.updated', {
    subject: spaceId,
    data: {
      spaceId,
      name: 'Garage labs',
      kind: 'coworking',
      status: 'open',
      municipalityCode: '011002',
      operatorId,
      latitude: null,
      longitude: null,
      changed,
    },
  });
}
