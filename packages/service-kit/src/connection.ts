import {
  type MaybePromise,
  type ObjectRef,
  PothosValidationError,
  type SchemaTypes,
} from '@pothos/core';
import { formatPrismaCursor, parsePrismaCursor } from '@pothos/plugin-prisma';
import { type HubContext, requestGroupLoader } from './context.js';
import { isUuid } from './input.js';

/** Items in a page when the client gives neither `first` nor `last`. */
export const PAGE_SIZE_DEFAULT = 20;

/** The arguments every connection field takes (checked by the kit's input plugin first). */
export type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
};

type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};

/** What a connection field resolves to; Pothos' Prisma connections give `totalCount` lazily. */
export type ConnectionPage<Node> = {
  edges: { cursor: string; node: Node }[];
  pageInfo: PageInfo;
  totalCount: number | (() => MaybePromise<number>);
};

export type ConnectionTypeOptions = {
  /** `XConnection`; its edge type is `XEdge`. */
  name: string;
  description: string;
  edgeDescription: string;
};

/**
 * The one connection type of a node type (`SpaceConnection` for root `spaces`,
 * `Organization.spaces`, `Municipality.spaces` alike): `edges`, `nodes` (the builder adds it to
 * every connection), `pageInfo` and `totalCount`. Pass it as the connection options of
 * `t.prismaConnection(…, Connection)` or `t.connection(…, Connection)`.
 */
export function defineConnection<Types extends SchemaTypes, Node>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  node: ObjectRef<Types, Node>,
  options: ConnectionTypeOptions,
) {
  return builder.connectionObject(
    {
      type: node,
      name: options.name,
      description: options.description,
      fields: (t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, ConnectionPage<Node>>) => ({
        totalCount: t.int({
          description:
            '条件に合い、呼び出し元が参照できる件数 — ページに関係なく全体 (how many items match and the caller may read, across all pages)',
          // Lets Pothos' Prisma connections skip the page query when only the count is asked.
          extensions: { pothosPrismaTotalCount: true },
          resolve: ({ totalCount }) =>
            typeof totalCount === 'function' ? totalCount() : totalCount,
        }),
      }),
    } as never,
    {
      name: options.name.replace(/Connection$/, 'Edge'),
      description: options.edgeDescription,
    } as never,
  );
}

/** What Pothos hands a `t.prismaConnection` resolver: the page's take/skip/cursor and selection. */
type PrismaPageQuery = {
  take: number;
  skip: number;
  // biome-ignore lint/suspicious/noExplicitAny: Pothos builds it for the model's unique cursor
  cursor?: any;
};

export type CountedListOptions<Args, Context, Where, Row> = {
  /** The condition: the client's filter AND what the caller may read. Computed once per field. */
  where: (args: Args, context: Context) => MaybePromise<Where>;
  /** One page: `findMany({ ...query, where, orderBy })` — order by unique columns last. */
  findMany: (query: PrismaPageQuery & { where: Where }, context: Context) => Promise<Row[]>;
  /** `count({ where })` with the same condition. */
  count: (where: Where, context: Context) => Promise<number>;
};

/**
 * `resolve` and `totalCount` of a root `t.prismaConnection` from one condition, so `totalCount`
 * counts exactly what the caller can page through — visibility included — in one query (run
 * only when selected). Spread it into the field's options.
 */
export function countedList<Args, Context, Where, Row>(
  options: CountedListOptions<Args, Context, Where, Row>,
) {
  // Page and count of one field share the args object: the condition is worked out once.
  const conditions = new WeakMap<object, MaybePromise<Where>>();
  const whereOf = (args: Args, context: Context) => {
    const key = args as object;
    let where = conditions.get(key);
    if (where === undefined) {
      where = options.where(args, context);
      conditions.set(key, where);
    }
    return where;
  };
  return {
    resolve: async (query: PrismaPageQuery, _parent: unknown, args: Args, context: Context) =>
      options.findMany({ ...query, where: await whereOf(args, context) }, context),
    totalCount: async (_parent: unknown, args: Args, context: Context) =>
      options.count(await whereOf(args, context), context),
  };
}

export type GroupedConnectionOptions<Key, Row> = {
  /** The parent's key (organisation id, municipality code …). */
  parent: Key;
  args: ConnectionArgs;
  /**
   * Every item of these parents the caller may read, in page order, ending with a unique column
   * (e.g. `[{ name: 'asc' }, { id: 'asc' }]`): one query for all parents of the request.
   */
  fetch: (parents: readonly Key[]) => Promise<Row[]>;
  /** The parent(s) a row belongs to: a row may be listed under several (an event's organisers). */
  groupOf: (row: Row) => Key | Key[];
  /** The unique column the cursor holds (a UUID column: the input plugin checks cursors as such). */
  cursor?: string;
};

/**
 * A connection under a parent — a contributed field (`Organization.spaces`) or a relation
 * (`Municipality.spaces`) — batched: one query fetches the items of every parent in the request
 * (a per-request loader named `loaderName`), each parent's page is cut from its list, and
 * `totalCount` is that list's length, so it counts what `fetch` let the caller see. Meant for
 * lists of up to a few thousand items per parent (an organisation's spaces or programs); a list
 * longer than that should be paged in SQL.
 */
export async function resolveGroupedConnection<Key, Row extends object>(
  context: HubContext,
  loaderName: string,
  options: GroupedConnectionOptions<Key, Row>,
): Promise<ConnectionPage<Row>> {
  const rows = await requestGroupLoader(context, loaderName, {
    fetch: options.fetch,
    groupOf: options.groupOf,
  }).load(options.parent);
  return pageOf(rows, options.args, options.cursor ?? 'id');
}

/** One page of an ordered list, with cursors in the same format as Pothos' Prisma connections. */
export function pageOf<Row extends object>(
  rows: readonly Row[],
  args: ConnectionArgs,
  cursorColumn = 'id',
): ConnectionPage<Row> {
  const { first, last, before, after } = args;
  const positionOf = (cursor: string) => {
    const value = parsePrismaCursor(cursor);
    // A compound cursor (another connection's) cannot name a row here; the input plugin turns
    // this into BAD_USER_INPUT naming the argument.
    if (typeof value !== 'string') throw new PothosValidationError('Invalid cursor');
    return rows.findIndex((row) => (row as Record<string, unknown>)[cursorColumn] === value);
  };
  let start = 0;
  let end = rows.length;
  if (after != null) {
    const at = positionOf(after);
    // Like a Prisma cursor on a row that is gone: nothing after it.
    start = at === -1 ? rows.length : at + 1;
  }
  if (before != null) {
    const at = positionOf(before);
    end = at === -1 ? 0 : at;
  }
  const window = rows.slice(start, Math.max(start, end));
  const isBackward = last != null || (before != null && first == null);
  const size = (isBackward ? last : first) ?? PAGE_SIZE_DEFAULT;
  const page = isBackward ? window.slice(Math.max(0, window.length - size)) : window.slice(0, size);
  const edges = page.map((node) => ({
    cursor: formatPrismaCursor(node as Record<string, unknown>, cursorColumn),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: isBackward ? before != null : window.length > size,
      hasPreviousPage: isBackward ? window.length > size : after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: rows.length,
  };
}

/** Where a page cut in SQL starts: its direction, its size and the id its cursor names. */
export type SqlPageCut = {
  /** `last`/`before` paging: the query runs in reverse order and the page is turned round. */
  isBackward: boolean;
  size: number;
  /** The id of the row the page starts beyond, or null for the first (or last) page. */
  cursorId: string | null;
};

/**
 * The cut of a page read from the database (`ORDER BY … LIMIT size + 1`, beyond `cursorId`)
 * from the client's arguments. Cursors are ids in Pothos' Prisma format; a compound cursor, or
 * one that is not a UUID when `uuidCursor` (the default) says ids are UUIDs, is refused as
 * PothosValidationError, which the input plugin turns into BAD_USER_INPUT naming the argument.
 */
export function sqlPageCut(
  args: ConnectionArgs,
  options: { uuidCursor?: boolean } = {},
): SqlPageCut {
  const { first, last, before, after } = args;
  const isBackward = last != null || (before != null && first == null);
  const size = (isBackward ? last : first) ?? PAGE_SIZE_DEFAULT;
  const cursor = isBackward ? before : after;
  let cursorId: string | null = null;
  if (cursor != null) {
    const value = parsePrismaCursor(cursor);
    if (typeof value !== 'string' || ((options.uuidCursor ?? true) && !isUuid(value)))
      throw new PothosValidationError('Invalid cursor');
    cursorId = value;
  }
  return { isBackward, size, cursorId };
}

/**
 * The page of rows read for `cut` — in query order, up to `size + 1` (the one past the page
 * tells whether there is another) — as a connection: nodes made by `nodeOf`, cursors on their
 * `id`, `totalCount` as given (a function to count only when asked).
 */
export function sqlPageOf<Row, Node extends { id: string }>(
  rows: readonly Row[],
  options: {
    args: ConnectionArgs;
    cut: SqlPageCut;
    nodeOf: (row: Row) => Node;
    totalCount: ConnectionPage<Node>['totalCount'];
  },
): ConnectionPage<Node> {
  const { args, cut, nodeOf, totalCount } = options;
  const window = rows.slice(0, cut.size);
  if (cut.isBackward) window.reverse();
  const edges = window.map((row) => {
    const node = nodeOf(row);
    return { cursor: formatPrismaCursor(node, 'id'), node };
  });
  const hasMore = rows.length > cut.size;
  return {
    edges,
    pageInfo: {
      hasNextPage: cut.isBackward ? args.before != null : hasMore,
      hasPreviousPage: cut.isBackward ? hasMore : args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
