import { z } from 'zod';
import { ZMunicipalityCode } from '../vocabulary/municipality-code.js';
import { ZSpaceKind, ZSpaceStatus } from '../vocabulary/space-kinds.js';
import type { ServiceEvents } from './definition.js';

// Events the spaces service publishes.

/** A space is open to its users: created as open, or moved to open later (opened, reopened). */
export const ZSpaceOpened = z.object({
  spaceId: z.uuid(),
  name: z.string(),
  kind: ZSpaceKind,
  municipalityCode: ZMunicipalityCode,
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
  status: ZSpaceStatus,
  municipalityCode: ZMunicipalityCode,
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

export const SPACES_EVENTS = {
  'spaces.space.opened': { version: 1, schema: ZSpaceOpened },
  'spaces.space.registered': { version: 1, schema: ZSpaceRegistered },
  'spaces.space.updated': { version: 1, schema: ZSpaceUpdated },
} as const satisfies ServiceEvents<'spaces'>;
