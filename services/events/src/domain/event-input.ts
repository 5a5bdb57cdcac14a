import { assertMunicipalityCode, httpUrl, parseInput, zInstant } from '@hub/service-kit';
import { z } from 'zod';
import type { EventKind } from '../generated/prisma/client.js';
import { parseRecurrence } from './recurrence.js';

export const EVENT_KINDS = [
  'JELLY',
  'FORUM',
  'SEMINAR',
  'WORKSHOP',
  'PARTY',
  'SHOWCASE',
  'CONFERENCE',
  'TRAINING_SESSION',
] as const satisfies readonly EventKind[];

const ZHttpUrl = httpUrl();

export const ZEventVenueInput = z
  .object({
    spaceId: z.uuid().nullish(),
    placeName: z.string().trim().min(1).max(200).nullish(),
    municipalityCode: z.string().nullish(),
    capacity: z.number().int().min(1).max(100_000).nullish(),
    streamUrl: ZHttpUrl.nullish(),
  })
  .refine((venue) => (venue.spaceId != null) !== (venue.placeName != null), {
    message:
      '会場は spaceId か placeName のどちらか一方を指定 (exactly one of spaceId / placeName)',
  });

export const ZPublishEventInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().max(200).nullish(),
    description: z.string().max(10_000).nullish(),
    descriptionEn: z.string().max(10_000).nullish(),
    kind: z.enum(EVENT_KINDS),
    startsAt: zInstant,
    endsAt: zInstant,
    recurrence: z.string().trim().max(500).nullish(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).nullish(),
    organizerIds: z.array(z.uuid()).max(20).nullish(),
    venues: z.array(ZEventVenueInput).min(1, '会場が1つ以上必要 (at least one venue)').max(20),
  })
  .refine((input) => input.endsAt.getTime() > input.startsAt.getTime(), {
    message: '終了は開始より後 (endsAt must be after startsAt)',
    path: ['endsAt'],
  });
export type TPublishEventInput = z.infer<typeof ZPublishEventInput>;

/** Parses client (or seed) input into valid fields, or throws a coded AppError naming the field. */
export function parsePublishEventInput(input: unknown): TPublishEventInput {
  const fields = parseInput(ZPublishEventInput, input);
  fields.venues.forEach((venue, index) => {
    if (venue.municipalityCode != null) {
      assertMunicipalityCode(venue.municipalityCode, `venues.${index}.municipalityCode`);
    }
  });
  if (fields.recurrence)
    fields.recurrence = parseRecurrence(fields.recurrence, fields.startsAt).text;
  if (fields.tags) fields.tags = [...new Set(fields.tags)];
  if (fields.organizerIds) fields.organizerIds = [...new Set(fields.organizerIds)];
  return fields;
}
