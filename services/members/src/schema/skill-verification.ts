import { builder } from '../builder.js';
import { SkillVerification } from '../generated/prisma/client.js';

export const SkillVerificationEnum = builder.enumType(SkillVerification, {
  name: 'SkillVerification',
  description: 'スキルの確認方法 (how a skill was verified)',
  values: {
    TRAINING: { description: '研修の修了 (completed training)' },
    COORDINATOR: { description: 'コーディネーターによる確認 (confirmed by a coordinator)' },
  },
});
