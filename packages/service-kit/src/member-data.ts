import type { EventData } from '@hub/contracts';
import {
  type Database,
  eventSubscription,
  isEvent,
  type SqlClient,
  type Subscription,
} from '@hub/event-bus';
import type { HubContext } from './context.js';
import type { SubgraphBuilder } from './external-refs.js';

// A member's data in a service other than members (APPI): every service answers the two
// duties the same way — it shows what it holds in the member's export (members owns
// `DataExport`, each service adds its field) and deletes it when `members.member.erased` comes.

/** The durable consumer of a service's erasure handler: its inbox key, so never renamed. */
export function memberErasureConsumer(service: string): string {
  return `${service}-member-erasure`;
}

export type MemberErasureOptions<TTx extends SqlClient> = {
  /** The service's name (`spaces`): names the consumer. */
  service: string;
  db: Database<TTx>;
  /**
   * Deletes or anonymises what the service holds about the member, through `tx`: the inbox
   * row commits with it, so a redelivered erasure has no second effect. Left out by a service
   * that holds nothing about members yet — the inbox row then still records, provably, that it
   * dealt with the erasure.
   */
  erase?: (erasure: EventData<'members.member.erased'>, tx: TTx) => Promise<void>;
};

/** The service's consumer of `members.member.erased`. */
export function memberErasureSubscription<TTx extends SqlClient>(
  options: MemberErasureOptions<TTx>,
): Subscription {
  const consumer = memberErasureConsumer(options.service);
  return eventSubscription({
    db: options.db,
    consumer,
    types: ['members.member.erased'],
    handle: async (event, tx) => {
      if (!isEvent(event, 'members.member.erased')) {
        throw new Error(`${consumer} cannot handle '${event.type}'`);
      }
      await options.erase?.(event.data, tx);
    },
  });
}

export type DataExportFieldOptions<Context extends HubContext> = {
  /** The field this service adds to `DataExport` (`supportPrograms`). */
  field: string;
  /** 日本語 (English): what the service holds about a member. */
  description: string;
  /** Everything the service holds about the member, as JSON. */
  resolve: (memberId: string, context: Context) => unknown;
};

/**
 * Adds the service's part of a member's data export: a nullable JSON field on `DataExport`
 * (owned by members, key memberId) that only the member themself and hub admins may read.
 * Nullable, so when this subgraph is down (or refuses) the rest of the export still arrives.
 */
export function contributeToDataExport<PrismaTypes extends {}, Context extends HubContext>(
  builder: SubgraphBuilder<PrismaTypes, Context>,
  options: DataExportFieldOptions<Context>,
): void {
  builder.externalRef('DataExport', builder.selection<{ memberId: string }>('memberId')).implement({
    externalFields: (t) => ({ memberId: t.id() }),
    fields: (t) => ({
      [options.field]: t.field({
        type: 'JSON',
        nullable: true,
        description: options.description,
        authScopes: (dataExport) => ({ admin: true, self: dataExport.memberId }),
        resolve: (dataExport, _args, context) => options.resolve(dataExport.memberId, context),
      }),
    }),
  });
}
