import type { z } from 'zod';
import { defineVocabulary } from './vocabulary.js';

/**
 * What a supporter's patrol visit observed coworkers needing — the kinds of help the SCS patrol
 * (seeds 000: 巡回サービス) answers with its members' support menus: work, training, finance
 * (bank, public finance corporation), founding, the space's equipment, community.
 */
export const PATROL_NEEDS = defineVocabulary({
  work: '仕事・受注 (work and orders)',
  'skills-training': 'スキル・研修 (skills and training)',
  funding: '資金・融資 (funding and loans)',
  'starting-business': '創業・起業 (starting a business)',
  equipment: '設備・環境 (equipment and workplace)',
  community: '交流・コミュニティ (meeting people, community)',
  other: 'その他 (other)',
});
export const ZPatrolNeed = PATROL_NEEDS.schema;
export type TPatrolNeed = z.infer<typeof ZPatrolNeed>;

/** What a coworker asked for during a patrol visit (seeds 000: 各種相談や専門家派遣等の希望). */
export const PATROL_REQUEST_KINDS = defineVocabulary({
  consultation: '相談 (consultation)',
  'expert-dispatch': '専門家派遣 (expert dispatch)',
});
export const ZPatrolRequestKind = PATROL_REQUEST_KINDS.schema;
export type TPatrolRequestKind = z.infer<typeof ZPatrolRequestKind>;
