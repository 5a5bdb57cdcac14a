import { z } from 'zod';

/** What kind of place a space is (DESIGN.md §4, spaces). */
export const SPACE_KINDS = ['coworking', 'telework-centre', 'satellite-office'] as const;
export const ZSpaceKind = z.enum(SPACE_KINDS);
export type TSpaceKind = z.infer<typeof ZSpaceKind>;

export const SPACE_KIND_LABELS = {
  coworking: 'コワーキングスペース (coworking space)',
  'telework-centre': 'テレワークセンター (telework centre)',
  'satellite-office': 'サテライトオフィス (satellite office)',
} as const satisfies Record<TSpaceKind, string>;

/** Whether a space is open to its users. */
export const SPACE_STATUSES = ['planned', 'open', 'closed'] as const;
export const ZSpaceStatus = z.enum(SPACE_STATUSES);
export type TSpaceStatus = z.infer<typeof ZSpaceStatus>;

export const SPACE_STATUS_LABELS = {
  planned: '開設予定 (planned)',
  open: '営業中 (open)',
  closed: '閉鎖 (closed)',
} as const satisfies Record<TSpaceStatus, string>;
