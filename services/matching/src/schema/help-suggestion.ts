import { builder } from '../builder.js';
import type { TSuggestion } from '../domain/help/suggest.js';
import { HelpSuggestionPartRef } from './help-suggestion-part.js';
import { MemberRef } from './member.js';

export const HelpSuggestionRef = builder.objectRef<TSuggestion>('HelpSuggestion').implement({
  description:
    '手伝えそうなメンバーと、その理由 — 相談者がプロフィールを読めるメンバーだけ (a member who could help, and why; only members whose profile the asker may read)',
  fields: (t) => ({
    member: t.field({
      type: MemberRef,
      description: '提案するメンバー (the member suggested)',
      resolve: (suggestion) => ({ id: suggestion.memberId }),
    }),
    rank: t.exposeInt('rank', { description: '順位、1 から (rank, from 1)' }),
    score: t.exposeInt('score', { description: '点数 — parts の合計 (score: the sum of parts)' }),
    parts: t.field({
      type: [HelpSuggestionPartRef],
      description: '点数の内訳 (the parts of the score)',
      resolve: (suggestion) => suggestion.parts,
    }),
  }),
});
