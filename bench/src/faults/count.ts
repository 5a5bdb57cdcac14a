/**
 * The counting of the fault benchmark, kept pure (facts in, counts out) so the numbers the
 * table shows follow from the rows alone and a unit test can pin the rules down.
 */

export const REGISTERED = 'members.member.registered';
export const ERASED = 'members.member.erased';
/** Services that act on member.erased (everyone but members, the producer). */
export const ERASURE_CONSUMERS = ['spaces', 'events', 'matching', 'support-programs'] as const;

/** An event in the members outbox. Times are ms since the epoch (PostgreSQL's clock). */
export type EventRow = { id: string; type: string; subject: string; createdAt: number };
/** A row of a consumer's inbox: written in the same transaction as the consumer's effect. */
export type InboxRow = { consumer: string; eventId: string; type: string; processedAt: number };

export type Facts = {
  /** members' outbox rows of member.registered and member.erased. */
  memberEvents: EventRow[];
  /** Inbox rows by service: matching's for member.registered, every consumer's for erasures. */
  inbox: Record<string, InboxRow[]>;
  /** Outbox rows not (yet) published, over every service (abandoned ones included). */
  unsentOutbox: number;
  /** Events consumers gave up on, over every service. */
  deadLetters: number;
  /** Messages durable consumers have not yet received or acknowledged; null if unknown. */
  consumerPending: number | null;
};

/** What the harness saw: acknowledged sign-ups (member ids) and acknowledged erasures. */
export type Operations = {
  acknowledgedSignUps: string[];
  acknowledgedErasures: string[];
  /** Sign-ups of the warm-up before the measured load: neither counted nor timed. */
  warmUp: string[];
};

/** ms since the epoch: the first fault began, the last one ended. */
export type FaultWindow = { start: number; end: number };

export type Phase = 'before' | 'during' | 'after';
export type Latencies = Record<Phase, number[]>;

export type Counts = {
  /** Acknowledged operations whose effect is missing (member ids). */
  lost: { registrations: string[]; erasures: string[] };
  /**
   * Operations whose effect was applied more than once: a member with two registration effects
   * in matching, or an erasure handled twice by one service, plus effects of events members
   * never wrote (phantoms).
   */
  doubled: { registrations: number; erasures: number; phantoms: number };
  /** consumerPending is null when NATS's monitoring did not answer (shown as `?`). */
  stuck: { unsentOutbox: number; consumerPending: number | null; deadLetters: number };
  /** Committed sign-ups the gateway did not acknowledge (the answer was lost, not the work). */
  appliedButUnacknowledged: number;
  /** outbox commit → effect, in ms, by when the event was committed relative to the faults. */
  latency: { registration: Latencies; erasure: Latencies };
};

export function totalLost(counts: Counts): number {
  return counts.lost.registrations.length + counts.lost.erasures.length;
}

export function totalDoubled(counts: Counts): number {
  const { registrations, erasures, phantoms } = counts.doubled;
  return registrations + erasures + phantoms;
}

export function totalStuck(counts: Counts): number {
  const { unsentOutbox, consumerPending, deadLetters } = counts.stuck;
  return unsentOutbox + (consumerPending ?? 0) + deadLetters;
}

/** Every acknowledged effect is there and nothing waits anywhere (pending known to be 0). */
export function isSettled(counts: Counts): boolean {
  return totalLost(counts) === 0 && totalStuck(counts) === 0 && counts.stuck.consumerPending === 0;
}

export function phaseOf(at: number, window: FaultWindow): Phase {
  if (at < window.start) return 'before';
  return at <= window.end ? 'during' : 'after';
}

export function countOutcomes(facts: Facts, operations: Operations, window: FaultWindow): Counts {
  const eventsById = new Map(facts.memberEvents.map((event) => [event.id, event]));
  const eventsOf = (type: string) => {
    const bySubject = new Map<string, EventRow[]>();
    for (const event of facts.memberEvents) {
      if (event.type !== type) continue;
      const list = bySubject.get(event.subject) ?? [];
      list.push(event);
      bySubject.set(event.subject, list);
    }
    return bySubject;
  };
  let phantoms = 0;
  /** Per service: effects of `type` by the member they were about. */
  const effectsOf = (service: string, type: string) => {
    const bySubject = new Map<string, InboxRow[]>();
    for (const row of facts.inbox[service] ?? []) {
      if (row.type !== type) continue;
      const event = eventsById.get(row.eventId);
      if (!event) {
        phantoms += 1;
        continue;
      }
      const list = bySubject.get(event.subject) ?? [];
      list.push(row);
      bySubject.set(event.subject, list);
    }
    return bySubject;
  };

  const registeredEvents = eventsOf(REGISTERED);
  const erasedEvents = eventsOf(ERASED);
  const registrationEffects = effectsOf('matching', REGISTERED);
  const erasureEffects = new Map(
    ERASURE_CONSUMERS.map((service) => [service, effectsOf(service, ERASED)] as const),
  );

  const latency = {
    registration: { before: [], during: [], after: [] } as Latencies,
    erasure: { before: [], during: [], after: [] } as Latencies,
  };
  const lostRegistrations: string[] = [];
  let doubledRegistrations = 0;
  for (const memberId of new Set(operations.acknowledgedSignUps)) {
    const effects = registrationEffects.get(memberId) ?? [];
    const event = registeredEvents.get(memberId)?.[0];
    if (effects.length === 0 || !event) {
      lostRegistrations.push(memberId);
      continue;
    }
    if (effects.length > 1) doubledRegistrations += 1;
    const first = Math.min(...effects.map((row) => row.processedAt));
    latency.registration[phaseOf(event.createdAt, window)].push(first - event.createdAt);
  }

  const lostErasures: string[] = [];
  let doubledErasures = 0;
  for (const memberId of new Set(operations.acknowledgedErasures)) {
    const event = erasedEvents.get(memberId)?.[0];
    const perService = ERASURE_CONSUMERS.map(
      (service) => erasureEffects.get(service)!.get(memberId) ?? [],
    );
    if (!event || perService.some((effects) => effects.length === 0)) {
      lostErasures.push(memberId);
      continue;
    }
    if (perService.some((effects) => effects.length > 1)) doubledErasures += 1;
    // The fan-out is complete when the last service has acted.
    const last = Math.max(
      ...perService.map((effects) => Math.min(...effects.map((row) => row.processedAt))),
    );
    latency.erasure[phaseOf(event.createdAt, window)].push(last - event.createdAt);
  }

  const acknowledged = new Set([...operations.acknowledgedSignUps, ...operations.warmUp]);
  const appliedButUnacknowledged = [...registeredEvents.keys()].filter(
    (memberId) => !acknowledged.has(memberId),
  ).length;

  return {
    lost: { registrations: lostRegistrations, erasures: lostErasures },
    doubled: { registrations: doubledRegistrations, erasures: doubledErasures, phantoms },
    stuck: {
      unsentOutbox: facts.unsentOutbox,
      consumerPending: facts.consumerPending,
      deadLetters: facts.deadLetters,
    },
    appliedButUnacknowledged,
    latency,
  };
}

/** Nearest-rank percentile of ms values; undefined for no values. */
export function percentile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
