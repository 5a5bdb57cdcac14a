import { builder } from '../builder.js';
import { IntroductionAnswer } from '../generated/prisma/client.js';

export const IntroductionAnswerEnum = builder.enumType(IntroductionAnswer, {
  name: 'IntroductionAnswer',
  description: '紹介への回答 (a member’s answer to an introduction)',
  values: {
    PENDING: { description: '未回答 (not answered yet)' },
    ACCEPTED: { description: '承諾 (accepted)' },
    DECLINED: { description: '辞退 (declined)' },
  },
});
