import { PATROL_REQUEST_KINDS } from '@hub/contracts';
import { graphqlEnumValues } from '@hub/service-kit';
import { builder } from '../builder.js';

export const PatrolRequestKindEnum = builder.enumType('PatrolRequestKind', {
  description: '巡回訪問で受けた依頼の種類 (kind of request raised during a patrol visit)',
  values: graphqlEnumValues(PATROL_REQUEST_KINDS),
});
