import { builder } from '../builder.js';
import { SpaceNetworkKind } from '../generated/prisma/client.js';

export const SpaceNetworkKindEnum = builder.enumType(SpaceNetworkKind, {
  name: 'SpaceNetworkKind',
  description: '拠点ネットワークの種類 (kind of space network)',
  values: {
    VISA: { description: 'コワーキングビザ (coworking visa)' },
    COMMON_TICKET: { description: '共通利用券 (common ticket usable at every space)' },
    LINKED_SITES: { description: '連携拠点 — テレビ会議などで結ばれた拠点群 (linked sites)' },
  },
});
