import { MEMBER_KINDS } from '@hub/contracts';
import { graphqlEnumValues } from '@hub/service-kit';
import { builder } from '../builder.js';

// The same enum as matching's (a federation value type): both are built from @hub/contracts.
export const MemberKindEnum = builder.enumType('MemberKind', {
  description: 'メンバーの種別 (kind of member)',
  values: graphqlEnumValues(MEMBER_KINDS),
});
