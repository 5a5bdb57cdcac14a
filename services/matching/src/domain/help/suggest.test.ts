import { describe, expect, it } from '@jest/globals';
import {
  SUGGESTION_POINTS as P,
  rankSuggestions,
  scoreCandidate,
  type TSuggestionAsk,
  type TSuggestionCandidate,
} from './suggest.js';

const ASKER = '00000000-0000-7000-8000-000000000000';
const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function ask(overrides: Partial<TSuggestionAsk> = {}): TSuggestionAsk {
  return {
    askerId: ASKER,
    mode: 'needs',
    needs: [
      { code: 'web-design', minLevel: 3 },
      { code: 'writing', minLevel: 2 },
    ],
    askerSkills: new Map([['writing', 4]]),
    municipalityCode: '202151',
    spaceIds: ['10000000-0000-7000-8000-000000000001'],
    spacesOf: 'asker',
    ...overrides,
  };
}

function candidate(n: number, overrides: Partial<TSuggestionCandidate> = {}): TSuggestionCandidate {
  return {
    memberId: id(n),
    skills: [{ code: 'web-design', level: 3, isVerified: false }],
    municipalityCode: null,
    homeSpaceIds: [],
    trustHops: null,
    ...overrides,
  };
}

// A small deterministic generator, so a failure names a reproducible case.
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('suggestion scoring', () => {
  it('adds up: every suggestion’s parts sum to its score, over random candidates', () => {
    const next = random(42);
    const codes = ['web-design', 'writing', 'data-entry', 'translation', 'video'];
    const candidates = Array.from({ length: 300 }, (_, n) =>
      candidate(n + 1, {
        skills: codes
          .filter(() => next() < 0.5)
          .map((code) => ({
            code,
            level: 1 + Math.floor(next() * 5),
            isVerified: next() < 0.4,
          })),
        municipalityCode: next() < 0.3 ? '202151' : '012157',
        homeSpaceIds: next() < 0.2 ? ['10000000-0000-7000-8000-000000000001'] : [],
        trustHops: next() < 0.5 ? 1 + Math.floor(next() * 8) : null,
      }),
    );
    for (const mode of ['needs', 'complementary'] as const) {
      const ranked = rankSuggestions(ask({ mode }), candidates, 300);
      expect(ranked.length).toBeGreaterThan(10);
      for (const suggestion of ranked) {
        expect(suggestion.parts.reduce((sum, part) => sum + part.points, 0)).toBe(suggestion.score);
        expect(Number.isInteger(suggestion.score)).toBe(true);
        for (const part of suggestion.parts) {
          expect(part.explanation).not.toBe('');
          expect(part.explanationEn).not.toBe('');
        }
      }
      // Best first, member id ascending on a tie; ranks 1..n.
      for (let i = 1; i < ranked.length; i++) {
        const [a, b] = [ranked[i - 1]!, ranked[i]!];
        expect(a.score > b.score || (a.score === b.score && a.memberId < b.memberId)).toBe(true);
        expect(b.rank).toBe(i + 1);
      }
    }
  });

  it('counts a verified skill more than the same level unverified', () => {
    const verified = candidate(2, { skills: [{ code: 'web-design', level: 3, isVerified: true }] });
    const unverified = candidate(1);
    expect(rankSuggestions(ask(), [unverified, verified], 10).map((s) => s.memberId)).toEqual([
      id(2),
      id(1),
    ]);
    expect(scoreCandidate(ask(), verified)!.score - scoreCandidate(ask(), unverified)!.score).toBe(
      P.verified,
    );
  });

  it('suggests only someone with a skill the asker lacks: a need the asker meets brings nobody', () => {
    // The asker writes at level 4: a writer is no help; place and trust alone are not either.
    const writer = candidate(1, {
      skills: [{ code: 'writing', level: 5, isVerified: true }],
      municipalityCode: '202151',
      trustHops: 1,
    });
    expect(scoreCandidate(ask(), writer)).toBeNull();
    expect(scoreCandidate(ask(), candidate(2, { memberId: ASKER }))).toBeNull();
    // Below the minimum level does not count.
    const novice = candidate(3, { skills: [{ code: 'web-design', level: 2, isVerified: true }] });
    expect(scoreCandidate(ask(), novice)).toBeNull();
  });

  it('explains each part with its points: skills, same space over same municipality, trust', () => {
    const scored = scoreCandidate(
      ask(),
      candidate(1, {
        skills: [{ code: 'web-design', level: 5, isVerified: true }],
        municipalityCode: '202151',
        homeSpaceIds: ['10000000-0000-7000-8000-000000000001'],
        trustHops: 2,
      }),
    )!;
    expect(scored.parts).toEqual([
      {
        factor: 'complementarySkills',
        points: P.skillMatch + 2 * P.perLevelAbove + P.verified,
        explanation: 'あなたに足りないスキルを持っています: web-design レベル5 (必要 3・確認済み)',
        explanationEn: 'has skills you lack: web-design level 5 (needed 3, verified)',
      },
      {
        factor: 'samePlace',
        points: P.sameSpace,
        explanation: 'あなたと同じ拠点をホームにしています',
        explanationEn: 'has the same home space as you',
      },
      {
        factor: 'trust',
        points: (P.trustMaxHops + 1 - 2) * P.trustPerHop,
        explanation: '紹介のつながりで 2 人先です',
        explanationEn: '2 referral steps away from you',
      },
    ]);
    expect(scored.score).toBe(20 + 6 + 10 + 15 + 10);
    // A space the request names is said to be the request's, not the asker's home.
    const atRequest = scoreCandidate(
      ask({ spacesOf: 'request' }),
      candidate(1, {
        skills: [{ code: 'web-design', level: 3, isVerified: false }],
        homeSpaceIds: ['10000000-0000-7000-8000-000000000001'],
      }),
    )!;
    expect(atRequest.parts[1]).toEqual({
      factor: 'samePlace',
      points: P.sameSpace,
      explanation: '相談の拠点をホームにしています',
      explanationEn: 'has the space of your request as a home space',
    });
  });

  it('without a request, scores the strongest three skills the asker lacks', () => {
    const broad = candidate(1, {
      skills: ['a', 'b', 'c', 'd', 'e'].map((code) => ({ code, level: 3, isVerified: false })),
    });
    const scored = scoreCandidate(ask({ mode: 'complementary', needs: [] }), broad)!;
    expect(scored.score).toBe(P.complementaryMaxSkills * P.complementarySkill);
    expect(scored.parts[0]!.explanationEn).toBe(
      'has skills you do not (you have no open help request): a level 3, b level 3, c level 3',
    );
  });

  it('is deterministic: the same facts in another order give the same ranking', () => {
    const candidates = [3, 1, 2, 5, 4].map((n) => candidate(n));
    const once = rankSuggestions(ask(), candidates, 5);
    expect(rankSuggestions(ask(), [...candidates].reverse(), 5)).toEqual(once);
    expect(once.map((s) => s.memberId)).toEqual([1, 2, 3, 4, 5].map(id));
  });
});
