import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/** How a network of spaces lets one space's members use the others. */
export const SPACE_NETWORK_KINDS = defineVocabulary({
  visa: 'コワーキングビザ (coworking visa)',
  'common-ticket': '共通利用券 (common ticket usable at every space)',
  'linked-sites': '連携拠点 — テレビ会議などで結ばれた拠点群 (linked sites)',
});
export const ZSpaceNetworkKind = SPACE_NETWORK_KINDS.schema;
export type TSpaceNetworkKind = z.infer<typeof ZSpaceNetworkKind>;
