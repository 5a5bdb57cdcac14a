import { describe, expect, it } from '@jest/globals';
import { judgeRecovery, type ProbeRound, type ReadinessAnswer } from './probe.js';

const ready: ReadinessAnswer = { kind: 'status', status: 200 };
const notReady: ReadinessAnswer = { kind: 'status', status: 503 };
const hung: ReadinessAnswer = { kind: 'hung' };
const refused: ReadinessAnswer = { kind: 'refused' };
const round = (sentAt: number, answersGraphql: boolean, readiness: ReadinessAnswer) => ({
  sentAt,
  answersGraphql,
  readiness,
});
// Rounds every 500 ms from `from` to 8 s (recovery deadline 5 s, verdict window 5–8 s).
const rounds = (from: number, make: (sentAt: number) => ProbeRound) =>
  Array.from({ length: Math.floor((8000 - from) / 500) }, (_, i) => make(from + i * 500));

describe('judgeRecovery', () => {
  it('a target that answers throughout recovered at once and is not wedged', () => {
    expect(
      judgeRecovery(
        'spaces',
        rounds(0, (at) => round(at, true, ready)),
        5000,
      ),
    ).toEqual({
      target: 'spaces',
      graphqlAfterMs: 0,
      readyAfterMs: 0,
    });
  });

  it('a restarted process that answers after 2 s recovered then', () => {
    const verdict = judgeRecovery(
      'matching',
      rounds(0, (at) => (at < 2000 ? round(at, false, refused) : round(at, true, ready))),
      5000,
    );
    expect(verdict).toEqual({ target: 'matching', graphqlAfterMs: 2000, readyAfterMs: 2000 });
  });

  it('no GraphQL answer within the recovery deadline is wedged, even if it comes later', () => {
    const verdict = judgeRecovery(
      'members',
      rounds(0, (at) => round(at, at >= 6000, at >= 6000 ? ready : notReady)),
      5000,
    );
    expect(verdict.wedged).toBe('no GraphQL answer');
    expect(verdict.graphqlAfterMs).toBe(6000);
  });

  it('readiness that hangs after the deadline is wedged', () => {
    const verdict = judgeRecovery(
      'members',
      rounds(0, (at) => round(at, true, at >= 6000 ? hung : ready)),
      5000,
    );
    expect(verdict.wedged).toBe('readiness hangs');
    expect(verdict.readinessHung).toBe(true);
  });

  it('a target that neither answers nor has its readiness answer is wedged for the first, and says both', () => {
    const verdict = judgeRecovery(
      'members',
      rounds(0, (at) => round(at, false, hung)),
      5000,
    );
    expect(verdict).toEqual({
      target: 'members',
      graphqlAfterMs: undefined,
      readyAfterMs: undefined,
      wedged: 'no GraphQL answer',
      readinessHung: true,
    });
  });

  it('readiness 200 while GraphQL fails after the deadline is a lie', () => {
    const verdict = judgeRecovery(
      'members',
      rounds(0, (at) => round(at, at < 5500, ready)),
      5000,
    );
    expect(verdict.wedged).toBe('readiness says ready, GraphQL fails');
  });

  it('a readiness blip before the deadline is forgiven', () => {
    const verdict = judgeRecovery(
      'members',
      rounds(0, (at) => round(at, at >= 1000, at < 3000 ? hung : ready)),
      5000,
    );
    expect(verdict.wedged).toBeUndefined();
    expect(verdict.readyAfterMs).toBe(3000);
  });
});
