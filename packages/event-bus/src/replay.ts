import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventEnvelope } from './envelope.js';
import { parseEvent } from './events.js';
import { streamFor } from './subjects.js';

export type ReplayOptions = {
  url: string;
  /** Client name shown by the server. */
  name: string;
  /** The same namespace the services publish under (tests, several stacks); omit in production. */
  namespace?: string;
  /** Services whose streams are read, one after the other. */
  services: readonly string[];
  /**
   * Called for each valid event, in the stream's order, awaited before the next. A failure
   * ends the replay (it rejects with it).
   */
  handle: (event: EventEnvelope) => Promise<void>;
  /**
   * Refuse (IncompleteHistoryError, before any event is handled from that stream) when a
   * stream no longer holds its first event. Default true: only a caller that merges into what
   * it has — never one rebuilding from scratch — may pass false.
   */
  requireFullHistory?: boolean;
};

/** A stream's oldest events are gone (its retention or a purge dropped them). */
export class IncompleteHistoryError extends Error {
  constructor(
    readonly stream: string,
    readonly firstSequence: number,
  ) {
    super(
      `ストリーム ${stream} は最初のイベントを保持していません (先頭は ${firstSequence} 番) — 再構築すると事実が失われるため中止します (stream ${stream} no longer holds its first events, it starts at sequence ${firstSequence}: rebuilding from it would lose facts, so nothing was changed)`,
    );
    this.name = 'IncompleteHistoryError';
  }
}

export type ReplaySummary = {
  /** Events handed to `handle`, per service. */
  events: Record<string, number>;
  /** Messages that are not valid events (the live consumers dead-lettered them): skipped. */
  invalid: number;
};

/**
 * Reads every event the services' streams hold, from the first, up to the last one stored when
 * the replay reached that stream — for rebuilding read models from scratch. An ordered
 * ephemeral consumer per stream (no durable is created or moved, so the live consumers are not
 * disturbed). A stream holds what its retention kept (7 days unless configured otherwise):
 * older events are gone, and a read model rebuilt from it knows only what it still holds.
 */
export async function replayStreams(options: ReplayOptions): Promise<ReplaySummary> {
  const nc = await connect({ servers: options.url, name: options.name });
  const summary: ReplaySummary = { events: {}, invalid: 0 };
  try {
    const jsm = await jetstreamManager(nc);
    const js = jsm.jetstream();
    for (const service of options.services) {
      summary.events[service] = 0;
      const stream = streamFor(service, options.namespace).name;
      let lastSeq: number;
      try {
        const info = await jsm.streams.info(stream);
        // Events gone from the front (retention, a purge): a read model rebuilt from the rest
        // would silently lose facts those events held. Refuse; the caller keeps what it has.
        if (info.state.first_seq > 1 && options.requireFullHistory !== false) {
          throw new IncompleteHistoryError(stream, info.state.first_seq);
        }
        if (info.state.messages === 0) continue;
        lastSeq = info.state.last_seq;
      } catch (error) {
        // Nothing was ever published by that service: nothing to replay.
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
          continue;
        }
        throw error;
      }
      const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
      const messages = await consumer.consume({ max_messages: 256 });
      try {
        for await (const msg of messages) {
          let event: EventEnvelope | undefined;
          try {
            event = parseEvent(msg.string());
          } catch {
            summary.invalid += 1;
          }
          if (event) {
            await options.handle(event);
            summary.events[service] += 1;
          }
          if (msg.seq >= lastSeq) break;
        }
      } finally {
        await messages.close();
      }
    }
    return summary;
  } finally {
    await nc.close();
  }
}
