import { SPACE_STATUSES, type TSpaceStatus } from '@hub/contracts';
import { builder } from '../builder.js';
import { SpaceStatusEnum } from './space.js';

export const SpaceStatusCountRef = builder
  .objectRef<{ status: TSpaceStatus; count: number }>('SpaceStatusCount')
  .implement({
    description: '状態ごとの拠点数 (number of spaces in one status)',
    fields: (t) => ({
      status: t.field({
        type: SpaceStatusEnum,
        description: '状態 (status)',
        resolve: (entry) => SPACE_STATUSES.keyOf(entry.status),
      }),
      count: t.exposeInt('count', {
        description: '拠点数 — 0 もある (number of spaces; may be 0)',
      }),
    }),
  });
