import { z } from 'zod';
import type { ServiceEvents } from './definition.js';

// Events the support-programs service publishes.

export const ZProgramPublished = z.object({
  programId: z.uuid(),
  providerId: z.uuid(),
  title: z.string(),
  kind: z.string(),
});

export const SUPPORT_PROGRAMS_EVENTS = {
  'support-programs.program.published': { version: 1, schema: ZProgramPublished },
} as const satisfies ServiceEvents<'support-programs'>;
