import { type EventEnvelope, replayStreams, serviceOf } from '@hub/event-bus';
import {
  applyConsentChanged,
  CONSENT_EVENT_TYPES,
  MEMBER_CONSENTS_CONSUMER,
} from '../events/member-consents.js';
import { eraseMemberData, MEMBER_ERASURE_CONSUMER } from '../events/member-erasure.js';
import {
  applyOrganizationCreated,
  ORGANIZATION_EVENT_TYPES,
  ORGANIZATIONS_CONSUMER,
} from '../events/organizations.js';
import { applyPlaceEvent, PLACE_EVENT_TYPES, PLACES_CONSUMER } from '../events/places.js';
import {
  applyReferralChanged,
  REFERRAL_EVENT_TYPES,
  REFERRALS_CONSUMER,
} from '../events/referrals.js';
import {
  AFFILIATION_EVENT_TYPES,
  applyAffiliationChanged,
  WORKER_AFFILIATIONS_CONSUMER,
} from '../events/worker-affiliations.js';
import {
  applyMemberEvent,
  WORKER_EVENT_TYPES,
  WORKER_READ_MODEL_CONSUMER,
} from '../events/worker-read-model.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { noteRankingChange } from '../ranking/change-log.js';

type Tx = Prisma.TransactionClient;

/** A consumer whose tables the rebuild recreates: its inbox key, its types and its effect. */
type ReadModelConsumer = {
  consumer: string;
  types: readonly string[];
  handle: (event: EventEnvelope, tx: Tx) => Promise<void>;
};

/** Every consumer of matching that builds a read model from other services' events. */
export const READ_MODEL_CONSUMERS: readonly ReadModelConsumer[] = [
  {
    consumer: WORKER_READ_MODEL_CONSUMER,
    types: WORKER_EVENT_TYPES,
    handle: applyMemberEvent,
  },
  {
    consumer: WORKER_AFFILIATIONS_CONSUMER,
    types: AFFILIATION_EVENT_TYPES,
    handle: applyAffiliationChanged,
  },
  {
    consumer: MEMBER_CONSENTS_CONSUMER,
    types: CONSENT_EVENT_TYPES,
    handle: applyConsentChanged,
  },
  {
    consumer: REFERRALS_CONSUMER,
    types: REFERRAL_EVENT_TYPES,
    handle: applyReferralChanged,
  },
  { consumer: PLACES_CONSUMER, types: PLACE_EVENT_TYPES, handle: applyPlaceEvent },
  {
    consumer: ORGANIZATIONS_CONSUMER,
    types: ORGANIZATION_EVENT_TYPES,
    handle: applyOrganizationCreated,
  },
  {
    consumer: MEMBER_ERASURE_CONSUMER,
    types: ['members.member.erased'],
    handle: (event, tx) => eraseMemberData(event.data as Parameters<typeof eraseMemberData>[0], tx),
  },
];

/**
 * The tables those consumers fill, emptied and refilled. `erased_member` is not among them:
 * an erasure is never undone, even when its event has left the stream, so the tombstones stay
 * and keep every replayed event about an erased member out.
 */
export const READ_MODEL_TABLES = [
  'worker',
  'worker_affiliation',
  'member_consent',
  'referral',
  'space',
  'home_space',
  'space_network',
  'network_site',
  'satellite_lease',
  'organization_place',
] as const;
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

/** Tables keyed by a member: whose ranking facts a rebuild may change. */
const MEMBER_TABLES = ['worker', 'worker_affiliation', 'referral', 'home_space'] as const;

export type RebuildOptions = {
  nats: { url: string; namespace?: string };
  /** Longest the rebuild's transaction may run (default 30 minutes). */
  timeoutMs?: number;
};

export type RebuildSummary = {
  /** Rows per table before and after. */
  rows: Record<ReadModelTable, { before: number; after: number }>;
  /** Events read per stream, and messages that were not valid events. */
  events: Record<string, number>;
  invalid: number;
};

async function countRows(tx: Tx): Promise<Record<ReadModelTable, number>> {
  const counts = {} as Record<ReadModelTable, number>;
  for (const table of READ_MODEL_TABLES) {
    const [row] = await tx.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${table}`,
    );
    counts[table] = row!.count;
  }
  return counts;
}

/**
 * Recreates matching's read models from the streams alone: in one transaction, empties the
 * tables and their consumers' inbox, reads every stored event of the streams they come from
 * (an ordered ephemeral consumer each, from the first event to the last stored) and applies
 * each with the live consumer's own effect and inbox row, then notes a ranking change for
 * every member the old or new rows name. Readers see the old rows until it commits, and the
 * result is what the live consumers built (they converge on the newest event of each fact).
 *
 * While it runs, the live consumers of this database wait (their inbox insert is locked out)
 * and retry: an event they handle after the commit that the replay already applied finds its
 * inbox row and is skipped, one published later applies on top. Run it when matching is quiet
 * — or stopped — if the streams are long.
 */
export async function rebuildReadModels(
  prisma: PrismaClient,
  options: RebuildOptions,
): Promise<RebuildSummary> {
  const services = [
    ...new Set(READ_MODEL_CONSUMERS.flatMap((entry) => entry.types.map(serviceOf))),
  ].sort();
  return prisma.$transaction(
    async (tx) => {
      // Waits for live handlers in flight, then holds new ones off until the commit.
      await tx.$executeRawUnsafe('LOCK TABLE inbox_event IN SHARE ROW EXCLUSIVE MODE');
      const before = await countRows(tx);
      const members = await tx.$queryRawUnsafe<{ member_id: string }[]>(
        MEMBER_TABLES.map((table) => `SELECT member_id::text FROM ${table}`).join(' UNION '),
      );
      for (const table of READ_MODEL_TABLES) await tx.$executeRawUnsafe(`DELETE FROM ${table}`);
      await tx.$executeRawUnsafe(
        'DELETE FROM inbox_event WHERE consumer = ANY($1::text[])',
        READ_MODEL_CONSUMERS.map((entry) => entry.consumer),
      );
      const replayed = await replayStreams({
        url: options.nats.url,
        namespace: options.nats.namespace,
        name: 'matching-rebuild-read-models',
        services,
        handle: async (event) => {
          for (const entry of READ_MODEL_CONSUMERS) {
            if (!entry.types.includes(event.type)) continue;
            // As idempotentHandler: the inbox row and the effect in one transaction (this one).
            const inserted = await tx.$executeRawUnsafe(
              `INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3)
               ON CONFLICT (consumer, event_id) DO NOTHING`,
              entry.consumer,
              event.id,
              event.type,
            );
            if (inserted > 0) await entry.handle(event, tx);
          }
        },
      });
      // Members whose rows are gone for good (their events left the stream) change too.
      await noteRankingChange(
        tx,
        members.map((row) => row.member_id),
      );
      const after = await countRows(tx);
      const rows = {} as RebuildSummary['rows'];
      for (const table of READ_MODEL_TABLES) {
        rows[table] = { before: before[table], after: after[table] };
      }
      return { rows, events: replayed.events, invalid: replayed.invalid };
    },
    { timeout: options.timeoutMs ?? 30 * 60_000, maxWait: 60_000 },
  );
}
