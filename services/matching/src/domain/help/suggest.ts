// Who could help whom: the scoring of suggestions (HelpRequest.suggestions and
// Member.suggestedCollaborators). Pure: the facts come in, a ranked list with its explanation
// goes out, so the same facts always give the same list and a test can check every sum.
// Points are integers so each suggestion's parts add up to its score exactly.

/** A skill someone needs, with the least level that helps. */
export type TNeededSkill = { code: string; minLevel: number };

/** A skill a person has (isVerified: confirmed by staff in members). */
export type TSkillFact = { code: string; level: number; isVerified: boolean };

/** What matching knows of one person who might help, all of it readable by the asker. */
export type TSuggestionCandidate = {
  memberId: string;
  skills: readonly TSkillFact[];
  municipalityCode: string | null;
  /**
   * The ask's spaces (`TSuggestionAsk.spaceIds`) where they hold a home membership today — only
   * memberships the asker may read (spaces' rule: staff of the space's operator, hub admins).
   */
  homeSpaceIds: readonly string[];
  /** Hops from the asker over referral links the asker may see; null = not connected. */
  trustHops: number | null;
};

/** What the asker wants and brings. */
export type TSuggestionAsk = {
  askerId: string;
  /**
   * `needs`: the skills of a help request (or of the member's open requests together);
   * `complementary`: none asked for — people with skills the asker lacks.
   */
  mode: 'needs' | 'complementary';
  needs: readonly TNeededSkill[];
  /** The asker's own skills (codes → level): a need they already meet needs no help. */
  askerSkills: ReadonlyMap<string, number>;
  /** The place the help is wanted: the request's, else the asker's own municipality. */
  municipalityCode: string | null;
  /** The request's space, else the asker's home spaces today. */
  spaceIds: readonly string[];
  /** Where spaceIds come from: the request names a space, or the asker's own home spaces. */
  spacesOf: 'request' | 'asker';
};

export const SUGGESTION_FACTORS = ['complementarySkills', 'samePlace', 'trust'] as const;
export type TSuggestionFactor = (typeof SUGGESTION_FACTORS)[number];

export type TSuggestionPart = {
  factor: TSuggestionFactor;
  points: number;
  explanation: string;
  explanationEn: string;
};

export type TSuggestion = {
  memberId: string;
  score: number;
  rank: number;
  parts: TSuggestionPart[];
};

/** The points, in one place, so the docs (docs/matching.md) and tests name the same numbers. */
export const SUGGESTION_POINTS = {
  /** Per needed skill the candidate meets and the asker lacks. */
  skillMatch: 20,
  /** Per level above the minimum, for such a skill. */
  perLevelAbove: 3,
  /** When that skill is verified: verified skills count more. */
  verified: 10,
  /** complementary mode: per skill (level ≥ 3) the asker lacks, at most three skills. */
  complementarySkill: 10,
  complementaryMaxSkills: 3,
  sameSpace: 15,
  sameMunicipality: 10,
  /** Trust: (maxHops + 1 − hops) × perHop for a connection of up to maxHops. */
  trustPerHop: 2,
  trustMaxHops: 6,
} as const;

const P = SUGGESTION_POINTS;

/** The needs the asker cannot meet alone: those their own level falls short of. */
export function unmetNeeds(ask: TSuggestionAsk): TNeededSkill[] {
  return ask.needs.filter((need) => (ask.askerSkills.get(need.code) ?? 0) < need.minLevel);
}

function skillPart(ask: TSuggestionAsk, candidate: TSuggestionCandidate): TSuggestionPart | null {
  const byCode = new Map(candidate.skills.map((skill) => [skill.code, skill]));
  if (ask.mode === 'needs') {
    const matched = unmetNeeds(ask).flatMap((need) => {
      const skill = byCode.get(need.code);
      return skill && skill.level >= need.minLevel ? [{ need, skill }] : [];
    });
    if (matched.length === 0) return null;
    let points = 0;
    const ja: string[] = [];
    const en: string[] = [];
    for (const { need, skill } of matched) {
      const above = skill.level - need.minLevel;
      points += P.skillMatch + above * P.perLevelAbove + (skill.isVerified ? P.verified : 0);
      const verified = skill.isVerified ? '・確認済み' : '';
      ja.push(`${skill.code} レベル${skill.level} (必要 ${need.minLevel}${verified})`);
      en.push(
        `${skill.code} level ${skill.level} (needed ${need.minLevel}${skill.isVerified ? ', verified' : ''})`,
      );
    }
    return {
      factor: 'complementarySkills',
      points,
      explanation: `あなたに足りないスキルを持っています: ${ja.join('、')}`,
      explanationEn: `has skills you lack: ${en.join(', ')}`,
    };
  }
  // No request: skills of a useful level the asker lacks, the strongest few (verified first),
  // so breadth alone does not win.
  const lacking = candidate.skills
    .filter((skill) => skill.level >= 3 && !ask.askerSkills.has(skill.code))
    .sort(
      (a, b) =>
        Number(b.isVerified) - Number(a.isVerified) ||
        b.level - a.level ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )
    .slice(0, P.complementaryMaxSkills);
  if (lacking.length === 0) return null;
  const points = lacking.reduce(
    (sum, skill) =>
      sum +
      P.complementarySkill +
      (skill.level - 3) * P.perLevelAbove +
      (skill.isVerified ? P.verified : 0),
    0,
  );
  return {
    factor: 'complementarySkills',
    points,
    explanation: `あなたが持っていないスキルを持っています (募集中の相談がないため): ${lacking
      .map((s) => `${s.code} レベル${s.level}${s.isVerified ? '・確認済み' : ''}`)
      .join('、')}`,
    explanationEn: `has skills you do not (you have no open help request): ${lacking
      .map((s) => `${s.code} level ${s.level}${s.isVerified ? ' (verified)' : ''}`)
      .join(', ')}`,
  };
}

function placePart(ask: TSuggestionAsk, candidate: TSuggestionCandidate): TSuggestionPart | null {
  const sharedSpace = ask.spaceIds.find((id) => candidate.homeSpaceIds.includes(id));
  if (sharedSpace) {
    return {
      factor: 'samePlace',
      points: P.sameSpace,
      ...(ask.spacesOf === 'request'
        ? {
            explanation: '相談の拠点をホームにしています',
            explanationEn: 'has the space of your request as a home space',
          }
        : {
            explanation: 'あなたと同じ拠点をホームにしています',
            explanationEn: 'has the same home space as you',
          }),
    };
  }
  if (ask.municipalityCode && candidate.municipalityCode === ask.municipalityCode) {
    return {
      factor: 'samePlace',
      points: P.sameMunicipality,
      explanation: `同じ市区町村 (${ask.municipalityCode}) で活動しています`,
      explanationEn: `works in the same municipality (${ask.municipalityCode})`,
    };
  }
  return null;
}

function trustPart(candidate: TSuggestionCandidate): TSuggestionPart | null {
  const hops = candidate.trustHops;
  if (hops === null || hops < 1 || hops > P.trustMaxHops) return null;
  return {
    factor: 'trust',
    points: (P.trustMaxHops + 1 - hops) * P.trustPerHop,
    explanation: `紹介のつながりで ${hops} 人先です`,
    explanationEn: `${hops} referral ${hops === 1 ? 'step' : 'steps'} away from you`,
  };
}

/**
 * Scores one candidate, or null when they could not help: only someone with a skill the asker
 * lacks is suggested (place and trust alone make an acquaintance, not a helper).
 */
export function scoreCandidate(
  ask: TSuggestionAsk,
  candidate: TSuggestionCandidate,
): Omit<TSuggestion, 'rank'> | null {
  if (candidate.memberId === ask.askerId) return null;
  const skills = skillPart(ask, candidate);
  if (!skills) return null;
  const parts = [skills, placePart(ask, candidate), trustPart(candidate)].filter(
    (part): part is TSuggestionPart => part !== null,
  );
  return {
    memberId: candidate.memberId,
    score: parts.reduce((sum, part) => sum + part.points, 0),
    parts,
  };
}

/** The best `first` suggestions: score descending, member id ascending on a tie. */
export function rankSuggestions(
  ask: TSuggestionAsk,
  candidates: readonly TSuggestionCandidate[],
  first: number,
): TSuggestion[] {
  return candidates
    .flatMap((candidate) => {
      const scored = scoreCandidate(ask, candidate);
      return scored ? [scored] : [];
    })
    .sort(
      (a, b) =>
        b.score - a.score || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
    )
    .slice(0, first)
    .map((suggestion, index) => ({ ...suggestion, rank: index + 1 }));
}
