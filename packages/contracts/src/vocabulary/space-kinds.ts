import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/** What kind of place a space is (DESIGN.md §4, spaces). */
export const SPACE_KINDS = defineVocabulary({
  coworking: 'コワーキングスペース (coworking space)',
  'telework-centre': 'テレワークセンター (telework centre)',
  'satellite-office': 'サテライトオフィス (satellite office)',
  incubator: 'インキュベーション施設 (incubator)',
});
export const ZSpaceKind = SPACE_KINDS.schema;
export type TSpaceKind = z.infer<typeof ZSpaceKind>;

/** Whether a space is open to its users. */
export const SPACE_STATUSES = defineVocabulary({
  planned: '開設予定 (planned)',
  open: '営業中 (open)',
  closed: '閉鎖 (closed)',
});
export const ZSpaceStatus = SPACE_STATUSES.schema;
export type TSpaceStatus = z.infer<typeof ZSpaceStatus>;
