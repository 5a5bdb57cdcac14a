import { PATROL_NEEDS } from '@hub/contracts';
import { graphqlEnumValues } from '@hub/service-kit';
import { builder } from '../builder.js';

// Built from the shared vocabulary, as events spell it (@hub/contracts).
export const PatrolNeedEnum = builder.enumType('PatrolNeed', {
  description: '巡回訪問で把握したコワーカーのニーズの分類 (kind of need a patrol visit observed)',
  values: graphqlEnumValues(PATROL_NEEDS),
});
