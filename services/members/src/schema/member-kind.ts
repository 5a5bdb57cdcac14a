import { builder } from '../builder.js';
import { MemberKind } from '../generated/prisma/client.js';

export const MemberKindEnum = builder.enumType(MemberKind, {
  name: 'MemberKind',
  description: 'メンバーの種別 (kind of member)',
  values: {
    FREELANCER: { description: 'フリーランス (freelancer)' },
    SMALL_BUSINESS: { description: '小規模事業者 (small business)' },
    STUDENT: { description: '学生 (student)' },
    FOUNDER: { description: '起業家・起業準備中 (founder)' },
    TELEWORKER: { description: 'テレワーカー (teleworker)' },
    EMPLOYEE: { description: '会社員 (employee)' },
  },
});
