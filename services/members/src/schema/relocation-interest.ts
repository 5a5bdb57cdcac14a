import { builder } from '../builder.js';
import { RelocationInterest } from '../generated/prisma/client.js';

export const RelocationInterestEnum = builder.enumType(RelocationInterest, {
  name: 'RelocationInterest',
  description: '移住への関心 (interest in relocating, U/I-turn)',
  values: {
    NONE: { description: '関心なし (none)' },
    CONSIDERING: { description: '検討中 (considering)' },
    PLANNING: { description: '計画中 (planning)' },
    RELOCATED: { description: '移住済み (relocated)' },
  },
});
