import { isoDate } from '@hub/contracts';
import { defineConnection } from '@hub/service-kit';
import { builder } from '../builder.js';
import { SpaceRef, spaceLoader } from './space.js';

export const PassRedemptionRef = builder.prismaObject('PassRedemption', {
  description: 'パスの利用 — 利用日と利用先 (a day a pass was used, and where)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    date: t.field({
      type: 'Date',
      description: '利用日 (day used, Asia/Tokyo)',
      resolve: (redemption) => isoDate(redemption.date),
    }),
    hostSpace: t.field({
      type: SpaceRef,
      description: '利用先の拠点 (host space)',
      resolve: async (redemption, _args, context) =>
        (await spaceLoader(context).load(redemption.hostSpaceId))!,
    }),
  }),
});

export const PassRedemptionConnection = defineConnection(builder, PassRedemptionRef, {
  name: 'PassRedemptionConnection',
  description: 'パスの利用のページ (a page of pass redemptions)',
  edgeDescription: 'パスの利用とそのカーソル (a redemption with its cursor)',
});
