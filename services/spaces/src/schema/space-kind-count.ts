import { SPACE_KINDS, type TSpaceKind } from '@hub/contracts';
import { builder } from '../builder.js';
import { SpaceKindEnum } from './space.js';

export const SpaceKindCountRef = builder
  .objectRef<{ kind: TSpaceKind; count: number }>('SpaceKindCount')
  .implement({
    description: '種類ごとの拠点数 (number of spaces of one kind)',
    fields: (t) => ({
      kind: t.field({
        type: SpaceKindEnum,
        description: '種類 (kind)',
        resolve: (entry) => SPACE_KINDS.keyOf(entry.kind),
      }),
      count: t.exposeInt('count', {
        description: '拠点数 — 0 もある (number of spaces; may be 0)',
      }),
    }),
  });
