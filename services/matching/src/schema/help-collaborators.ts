import { builder } from '../builder.js';
import { SUGGESTIONS_MAX, suggestCollaborators } from '../domain/help/find-suggestions.js';
import { HelpSuggestionRef } from './help-suggestion.js';
import { MemberRef } from './member.js';

builder.objectField(MemberRef, 'suggestedCollaborators', (t) =>
  t.field({
    type: [HelpSuggestionRef],
    nullable: true,
    description: `一緒に取り組めそうなメンバー、点数の高い順 — 本人のみ。受付中の相談があればその必要スキル、なければ自分が持っていないスキルを持つ人。本人がプロフィールを読めるメンバーだけ (members you could work with, best first; you only. Scored on the skills of your open help requests, or — with none open — on skills you do not have; only members whose profile you may read). first は ${SUGGESTIONS_MAX} まで (first at most ${SUGGESTIONS_MAX})`,
    args: {
      first: t.arg.int({
        required: false,
        defaultValue: 10,
        min: 0,
        max: SUGGESTIONS_MAX,
        description: `件数 0〜${SUGGESTIONS_MAX} (how many, 0..${SUGGESTIONS_MAX})`,
      }),
    },
    authScopes: (member) => ({ self: member.id }),
    resolve: (member, args, context) => suggestCollaborators(context, member.id, args.first ?? 10),
  }),
);
