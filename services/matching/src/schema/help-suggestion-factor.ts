import { builder } from '../builder.js';
import { SUGGESTION_FACTORS } from '../domain/help/suggest.js';
import { enumName } from './ranking-factor.js';

const DESCRIPTIONS = {
  complementarySkills:
    '補い合うスキル — 相談者に足りない必要スキルを持つ (確認済みは加点が大きい) (complementary skills: has the needed skills the asker lacks; verified ones count more)',
  samePlace: '同じ拠点・市区町村 (same home space or municipality)',
  trust: '紹介のつながりでの近さ (closeness over referral links the asker may see)',
} as const satisfies Record<(typeof SUGGESTION_FACTORS)[number], string>;

export const HelpSuggestionFactorEnum = builder.enumType('HelpSuggestionFactor', {
  description: '提案の点数の内訳の種類 (a part of a suggestion’s score)',
  values: Object.fromEntries(
    SUGGESTION_FACTORS.map((factor) => [
      enumName(factor),
      { value: factor, description: DESCRIPTIONS[factor] },
    ]),
  ) as Record<string, { value: (typeof SUGGESTION_FACTORS)[number]; description: string }>,
});
