import { builder } from '../builder.js';
import type { TSuggestionPart } from '../domain/help/suggest.js';
import { HelpSuggestionFactorEnum } from './help-suggestion-factor.js';

export const HelpSuggestionPartRef = builder
  .objectRef<TSuggestionPart>('HelpSuggestionPart')
  .implement({
    description:
      '提案の理由の一つと点数 — 内訳の点数の合計が score (one reason for a suggestion with its points; the parts add up to the score)',
    fields: (t) => ({
      factor: t.expose('factor', { type: HelpSuggestionFactorEnum, description: '種類 (factor)' }),
      points: t.exposeInt('points', { description: '点数 (points, a whole number)' }),
      explanation: t.exposeString('explanation', { description: '説明 (explanation, Japanese)' }),
      explanationEn: t.exposeString('explanationEn', {
        description: '説明 (explanation, English)',
      }),
    }),
  });
