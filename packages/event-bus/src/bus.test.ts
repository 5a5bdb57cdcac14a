// The delivery policy shared by both buses, without a transport.
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import {
  backoffFor,
  DEFAULT_BACKOFF_MS,
  deliver,
  type ResolvedSubscription,
  resolveSubscription,
  type Subscription,
} from './bus.js';
import type { EventEnvelope } from './envelope.js';
import { createEvent, InvalidEventError } from './events.js';

const logger = pino({ level: 'silent' });
const context = { logger, fallbackId: 'hub-stream:7', fallbackType: 'members.member.registered' };
const id = '0190a6f2-8c3e-7b1a-9d4f-2a6b8c0d1e2f';
const event = createEvent('members.organization.created', {
  subject: id,
  data: { organizationId: id, name: 'Works', kind: 'npo', municipalityCode: null },
});

function subscription(overrides: Partial<Subscription> = {}) {
  const deadLetters: { event: EventEnvelope; error: unknown; deliveryCount: number }[] = [];
  const sub = resolveSubscription({
    consumer: 'unit',
    types: ['members.organization.created'],
    handler: async () => {},
    onDeadLetter: async (e, error, deliveryCount) => {
      deadLetters.push({ event: e, error, deliveryCount });
    },
    ...overrides,
  });
  return { sub, deadLetters };
}

describe('resolveSubscription', () => {
  it('applies defaults', () => {
    const { sub } = subscription();
    expect(sub.maxDeliver).toBe(5);
    expect(sub.backoffMs).toEqual(DEFAULT_BACKOFF_MS);
  });

  it('rejects settings that cannot work', () => {
    expect(() => subscription({ types: [] })).toThrow(/lists no event types/);
    expect(() => subscription({ maxDeliver: 0 })).toThrow(/maxDeliver/);
    expect(() => subscription({ backoffMs: [-1] })).toThrow(/backoffMs/);
    expect(() => subscription({ consumer: 'has space' })).toThrow(/Invalid consumer name/);
  });
});

describe('backoffFor', () => {
  it('uses the nth delay after the nth failure, repeating the last', () => {
    const { sub } = subscription({ backoffMs: [10, 20] });
    expect([1, 2, 3, 9].map((n) => backoffFor(sub, n))).toEqual([10, 20, 20, 20]);
    expect(backoffFor({ ...sub, backoffMs: [] } as ResolvedSubscription, 1)).toBe(0);
  });
});

describe('deliver', () => {
  it('acks after the handler succeeds, passing the delivery count', async () => {
    const seen: number[] = [];
    const { sub } = subscription({ handler: async (_e, d) => void seen.push(d.deliveryCount) });
    expect(await deliver(sub, JSON.stringify(event), 2, context)).toEqual({ kind: 'ack' });
    expect(seen).toEqual([2]);
  });

  it('retries with backoff before maxDeliver, dead-letters at maxDeliver', async () => {
    const failure = new Error('db down');
    const { sub, deadLetters } = subscription({
      maxDeliver: 2,
      backoffMs: [30],
      handler: async () => {
        throw failure;
      },
    });
    expect(await deliver(sub, event, 1, context)).toEqual({ kind: 'retry', delayMs: 30 });
    expect(deadLetters).toEqual([]);
    expect(await deliver(sub, event, 2, context)).toEqual({ kind: 'term' });
    expect(deadLetters).toEqual([{ event, error: failure, deliveryCount: 2 }]);
  });

  it('retries a failed onDeadLetter once, on the spare delivery, then gives up', async () => {
    let handlerCalls = 0;
    const { sub } = subscription({
      maxDeliver: 1,
      handler: async () => {
        handlerCalls += 1;
        throw new Error('bad');
      },
      onDeadLetter: async () => {
        throw new Error('dead_letter table unreachable');
      },
    });
    expect((await deliver(sub, event, 1, context)).kind).toBe('retry');
    // Delivery maxDeliver + 1: straight to dead letter, the handler is not run again.
    expect(await deliver(sub, event, 2, context)).toEqual({ kind: 'term' });
    expect(handlerCalls).toBe(1);
  });

  it('dead-letters an invalid message at once, salvaging what it can', async () => {
    let handlerCalls = 0;
    const { sub, deadLetters } = subscription({
      handler: async () => {
        handlerCalls += 1;
      },
    });
    expect(await deliver(sub, 'not json', 1, context)).toEqual({ kind: 'term' });
    expect(handlerCalls).toBe(0);
    expect(deadLetters[0]?.event).toMatchObject({
      id: 'hub-stream:7',
      type: 'members.member.registered',
      data: 'not json',
    });
    expect(deadLetters[0]?.error).toBeInstanceOf(InvalidEventError);

    const badData = { ...event, data: { name: 1 } };
    await deliver(sub, JSON.stringify(badData), 1, context);
    expect(deadLetters[1]?.event).toEqual(badData);
  });

  it('terminates without onDeadLetter (logged), rather than redelivering forever', async () => {
    const { sub } = subscription({
      maxDeliver: 1,
      onDeadLetter: undefined,
      handler: async () => {
        throw new Error('x');
      },
    });
    expect(await deliver(sub, event, 1, context)).toEqual({ kind: 'term' });
  });
});
