import { parseInput, zInstant } from '@hub/service-kit';
import { z } from 'zod';
import type { ProgramKind } from '../generated/prisma/client.js';

export const PROGRAM_KINDS = [
  'LOAN',
  'SUBSIDY',
  'EXPERT_DISPATCH',
  'CONSULTATION',
  'TRAINING',
  'WELFARE',
  'SPACE_OPENING_SUPPORT',
  'RELOCATION_SUPPORT',
  'COMPANY_ATTRACTION_SUPPORT',
  'JOINT_CONTRACTING',
] as const satisfies readonly ProgramKind[];

export const ZPublishProgramInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().max(200).nullish(),
    description: z.string().max(10_000).nullish(),
    descriptionEn: z.string().max(10_000).nullish(),
    kind: z.enum(PROGRAM_KINDS),
    providerId: z.uuid(),
    spaceId: z.uuid().nullish(),
    applicationOpensAt: zInstant.nullish(),
    applicationClosesAt: zInstant.nullish(),
    capacity: z.number().int().min(1).max(1_000_000).nullish(),
  })
  .refine(
    (input) =>
      !input.applicationOpensAt ||
      !input.applicationClosesAt ||
      input.applicationClosesAt.getTime() > input.applicationOpensAt.getTime(),
    {
      message: '受付終了は受付開始より後 (applicationClosesAt must be after applicationOpensAt)',
      path: ['applicationClosesAt'],
    },
  );
export type TPublishProgramInput = z.infer<typeof ZPublishProgramInput>;

/** Parses client (or seed) input, or throws BAD_USER_INPUT naming the field. */
export function parsePublishProgramInput(input: unknown): TPublishProgramInput {
  return parseInput(ZPublishProgramInput, input);
}
