import { describe, expect, it } from '@jest/globals';
import {
  countOutcomes,
  ERASED,
  type EventRow,
  type Facts,
  type InboxRow,
  isSettled,
  percentile,
  phaseOf,
  REGISTERED,
  totalDoubled,
  totalLost,
  totalStuck,
} from './count.js';

// Faults from t=1000 to t=2000 (ms since the epoch, small numbers for reading).
const WINDOW = { start: 1000, end: 2000 };

const registered = (id: string, memberId: string, createdAt: number): EventRow => ({
  id,
  type: REGISTERED,
  subject: memberId,
  createdAt,
});
const erased = (id: string, memberId: string, createdAt: number): EventRow => ({
  id,
  type: ERASED,
  subject: memberId,
  createdAt,
});
const effect = (eventId: string, type: string, processedAt: number): InboxRow => ({
  consumer: type === REGISTERED ? 'matching-worker-read-model' : 'member-erasure',
  eventId,
  type,
  processedAt,
});
const erasureEffects = (eventId: string, processedAt: number) => ({
  spaces: [effect(eventId, ERASED, processedAt)],
  events: [effect(eventId, ERASED, processedAt + 1)],
  'support-programs': [effect(eventId, ERASED, processedAt + 2)],
});

function facts(overrides: Partial<Facts>): Facts {
  return {
    memberEvents: [],
    inbox: {},
    unsentOutbox: 0,
    deadLetters: 0,
    consumerPending: 0,
    ...overrides,
  };
}

describe('countOutcomes', () => {
  it('counts nothing lost, doubled or stuck when every effect is there once', () => {
    const counts = countOutcomes(
      facts({
        memberEvents: [registered('e1', 'm1', 500), registered('e2', 'm2', 1500)],
        inbox: { matching: [effect('e1', REGISTERED, 520), effect('e2', REGISTERED, 1900)] },
      }),
      { acknowledgedSignUps: ['m1', 'm2'], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );

    expect(totalLost(counts)).toBe(0);
    expect(totalDoubled(counts)).toBe(0);
    expect(totalStuck(counts)).toBe(0);
    expect(isSettled(counts)).toBe(true);
    expect(counts.latency.registration).toEqual({ before: [20], during: [400], after: [] });
  });

  it('an acknowledged sign-up without its event, or without its effect, is lost', () => {
    const counts = countOutcomes(
      facts({
        memberEvents: [registered('e1', 'm1', 500)],
        inbox: { matching: [] },
      }),
      { acknowledgedSignUps: ['m1', 'm2'], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );

    expect(counts.lost.registrations).toEqual(['m1', 'm2']);
    expect(isSettled(counts)).toBe(false);
  });

  it('a sign-up that was never acknowledged is not lost, but is reported if it committed', () => {
    const counts = countOutcomes(
      facts({
        memberEvents: [registered('e1', 'm1', 500), registered('e9', 'warm', 100)],
        inbox: { matching: [effect('e1', REGISTERED, 600)] },
      }),
      { acknowledgedSignUps: [], acknowledgedErasures: [], warmUp: ['warm'] },
      WINDOW,
    );

    expect(totalLost(counts)).toBe(0);
    expect(counts.appliedButUnacknowledged).toBe(1);
    expect(counts.latency.registration.before).toEqual([]);
  });

  it('two registration effects for one member (two events) are one doubled operation', () => {
    const counts = countOutcomes(
      facts({
        memberEvents: [registered('e1', 'm1', 500), registered('e2', 'm1', 510)],
        inbox: { matching: [effect('e1', REGISTERED, 520), effect('e2', REGISTERED, 530)] },
      }),
      { acknowledgedSignUps: ['m1'], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );

    expect(counts.doubled.registrations).toBe(1);
    expect(totalLost(counts)).toBe(0);
    // Timed to the first effect.
    expect(counts.latency.registration.before).toEqual([20]);
  });

  it('an effect of an event members never wrote is a phantom', () => {
    const counts = countOutcomes(
      facts({ inbox: { matching: [effect('e404', REGISTERED, 520)] } }),
      { acknowledgedSignUps: [], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );

    expect(counts.doubled.phantoms).toBe(1);
    expect(totalDoubled(counts)).toBe(1);
  });

  it('an erasure is lost unless all four other services acted, and timed to the last of them', () => {
    const complete = countOutcomes(
      facts({
        memberEvents: [registered('r1', 'm1', 100), erased('x1', 'm1', 2500)],
        inbox: {
          ...erasureEffects('x1', 2510),
          matching: [effect('r1', REGISTERED, 110), effect('x1', ERASED, 2600)],
        },
      }),
      { acknowledgedSignUps: ['m1'], acknowledgedErasures: ['m1'], warmUp: [] },
      WINDOW,
    );
    expect(totalLost(complete)).toBe(0);
    expect(complete.latency.erasure.after).toEqual([100]);

    const partial = countOutcomes(
      facts({
        memberEvents: [registered('r1', 'm1', 100), erased('x1', 'm1', 2500)],
        inbox: { ...erasureEffects('x1', 2510), matching: [effect('r1', REGISTERED, 110)] },
      }),
      { acknowledgedSignUps: ['m1'], acknowledgedErasures: ['m1'], warmUp: [] },
      WINDOW,
    );
    expect(partial.lost.erasures).toEqual(['m1']);
  });

  it('an erasure handled twice by one service is doubled', () => {
    const counts = countOutcomes(
      facts({
        memberEvents: [erased('x1', 'm1', 1500), erased('x2', 'm1', 1600)],
        inbox: {
          ...erasureEffects('x1', 1510),
          matching: [effect('x1', ERASED, 1520), effect('x2', ERASED, 1620)],
        },
      }),
      { acknowledgedSignUps: [], acknowledgedErasures: ['m1'], warmUp: [] },
      WINDOW,
    );

    expect(counts.doubled.erasures).toBe(1);
  });

  it('unsent outbox rows, pending messages and dead letters are stuck; unknown pending is not settled', () => {
    const counts = countOutcomes(
      facts({ unsentOutbox: 2, deadLetters: 1, consumerPending: 3 }),
      { acknowledgedSignUps: [], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );
    expect(totalStuck(counts)).toBe(6);

    const unknown = countOutcomes(
      facts({ consumerPending: null }),
      { acknowledgedSignUps: [], acknowledgedErasures: [], warmUp: [] },
      WINDOW,
    );
    expect(totalStuck(unknown)).toBe(0);
    expect(isSettled(unknown)).toBe(false);
  });
});

describe('phaseOf and percentile', () => {
  it('puts the window edges inside the faults', () => {
    expect(phaseOf(999, WINDOW)).toBe('before');
    expect(phaseOf(1000, WINDOW)).toBe('during');
    expect(phaseOf(2000, WINDOW)).toBe('during');
    expect(phaseOf(2001, WINDOW)).toBe('after');
  });

  it('is nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});
