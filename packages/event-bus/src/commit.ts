import type { EventData, EventType } from '@hub/contracts';
import type { EventEnvelope } from './envelope.js';
import { createEvent } from './events.js';
import { writeOutbox } from './outbox.js';
import type { Database, SqlClient, TransactionOptions } from './sql.js';

/**
 * What `commit` needs of its caller: the service's database and its outbox relay. A service's
 * request context fits as it is; seeds and tests pass `{ prisma }`.
 */
export type CommitContext<TDatabase extends Database = Database> = {
  prisma: TDatabase;
  /** Woken after a commit that wrote events; absent where no relay runs (seeds, tests). */
  relay?: { kick(): void } | null;
};

/** An event a domain function has decided on, to be emitted: its type, subject and data. */
export type EventDraft<K extends EventType = EventType> = K extends EventType
  ? { type: K; subject: string; data: EventData<K> }
  : never;

/** Adds an event to the transaction: it is written to the outbox if and only if it commits. */
export type Emit = {
  <K extends EventType>(type: K, event: { subject: string; data: EventData<K> }): void;
  (draft: EventDraft): void;
};

/**
 * The one way a service changes its data and announces it. `work` writes the domain rows
 * through `tx` and names each event with `emit`; the events are checked against their
 * contracts as they are emitted (a refusal rolls the whole transaction back), written to the
 * outbox in the same transaction after `work` returns, and the relay is woken only once the
 * transaction has committed — never for a rollback, so nothing is published that did not
 * happen. `source` and the rest of the envelope follow from the event type.
 */
export async function commit<TTx extends SqlClient, T>(
  context: CommitContext<Database<TTx>>,
  work: (tx: TTx, emit: Emit) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  let written = 0;
  const result = await context.prisma.$transaction(async (tx) => {
    const events: EventEnvelope[] = [];
    let isOpen = true;
    const emit = ((
      typeOrDraft: EventType | EventDraft,
      event?: { subject: string; data: unknown },
    ) => {
      const draft = (
        typeof typeOrDraft === 'string' ? { ...event, type: typeOrDraft } : typeOrDraft
      ) as EventDraft;
      // An emit from a promise `work` left running would never reach the outbox: refuse it.
      if (!isOpen) {
        throw new Error(`'${draft.type}' emitted after its transaction's work had ended`);
      }
      events.push(createEvent(draft.type, draft));
    }) as Emit;
    const value = await work(tx, emit);
    isOpen = false;
    await writeOutbox(tx, events);
    written = events.length;
    return value;
  }, options);
  if (written > 0) context.relay?.kick();
  return result;
}
