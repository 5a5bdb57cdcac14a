import { randomUUID } from 'node:crypto';
import { type Identity, isMember } from '@hub/identity';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeBase64, PothosValidationError } from '@pothos/core';
import { formatPrismaCursor } from '@pothos/plugin-prisma';
import { type ExecutionResult, graphql, printSchema } from 'graphql';
import pg from 'pg';
import { pino } from 'pino';
import { createSubgraphBuilder } from './builder.js';
import {
  type ConnectionArgs,
  countedList,
  defineConnection,
  PAGE_SIZE_DEFAULT,
  resolveGroupedConnection,
  sqlPageCut,
  sqlPageOf,
} from './connection.js';
import { createBaseContext, type HubContext } from './context.js';
import { AppError } from './errors.js';
import { PAGE_SIZE_MAX } from './input-plugin.js';

// Connections on a subgraph built the way services build theirs, over a real PostgreSQL table
// whose rows are visible to everyone (public) or only to their author.

let database: TestDatabase;
let pool: pg.Pool;
let statements = 0;

type Note = { id: string; owner: string; title: string };
const author = randomUUID();
const asAuthor: Identity = {
  kind: 'member',
  memberId: author,
  sessionId: randomUUID(),
  roles: [],
  staffOf: [],
};

beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'hub_test_kit_connection' });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // pg's end() resolves before its sockets close: the DROP … WITH (FORCE) in afterAll can then
  // end a backend whose client would otherwise raise an unhandled 57P01 and fail the suite.
  pool.on('error', () => {});
  await pool.query(`CREATE TABLE note (id uuid PRIMARY KEY, owner text NOT NULL,
    title text NOT NULL, is_public boolean NOT NULL, author uuid NOT NULL)`);
  // Owner "a": 5 public notes and 2 drafts of the author; owner "b": 1 public note.
  const rows: [string, string, boolean][] = [
    ...[1, 2, 3, 4, 5].map((n): [string, string, boolean] => ['a', `public ${n}`, true]),
    ['a', 'draft 1', false],
    ['a', 'draft 2', false],
    ['b', 'public b', true],
  ];
  for (const [owner, title, isPublic] of rows) {
    await pool.query('INSERT INTO note VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(),
      owner,
      title,
      isPublic,
      author,
    ]);
  }
});

afterAll(async () => {
  await pool?.end();
  // @hub/testing's drop waits for the pool's sockets to close before forcing the rest.
  await database?.drop();
});

/** The visibility rule: public notes, and the caller's own. */
function visibleTo(identity: Identity | null): { sql: string; params: unknown[] } {
  return isMember(identity)
    ? { sql: '(is_public OR author = $VIS)', params: [identity.memberId] }
    : { sql: 'is_public', params: [] };
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  statements += 1;
  return (await pool.query(sql, params)).rows as T[];
}

/** Every visible note of these owners, in page order (title, then id). */
function notesOf(owners: readonly string[], identity: Identity | null) {
  const visible = visibleTo(identity);
  return query<Note>(
    `SELECT id, owner, title FROM note WHERE owner = ANY($1) AND ${visible.sql.replace('$VIS', '$2')}
     ORDER BY title, id`,
    [owners, ...visible.params],
  );
}

function testSchema() {
  const builder = createSubgraphBuilder<Record<string, never>, HubContext>({
    dmmf: { datamodel: { models: {} } },
    prismaOf: () => ({}),
  });
  const NoteRef = builder.objectRef<Note>('Note').implement({
    fields: (t) => ({ id: t.exposeID('id'), title: t.exposeString('title') }),
  });
  const NoteConnection = defineConnection(builder, NoteRef, {
    name: 'NoteConnection',
    description: 'メモのページ (a page of notes)',
    edgeDescription: 'メモとそのカーソル (a note with its cursor)',
  });
  const OwnerRef = builder.objectRef<{ name: string }>('Owner').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      notes: t.connection(
        {
          type: NoteRef,
          resolve: (owner, args, context) =>
            resolveGroupedConnection(context, 'notesByOwner', {
              parent: owner.name,
              args,
              fetch: (owners) => notesOf(owners, context.identity),
              groupOf: (note) => note.owner,
            }),
        },
        NoteConnection,
      ),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      owner: t.field({
        type: OwnerRef,
        args: { name: t.arg.string({ required: true }) },
        resolve: (_root, { name }) => ({ name }),
      }),
    }),
  });
  return builder.toSubGraphSchema({});
}

const schema = testSchema();

type Page = {
  totalCount: number;
  nodes: { title: string }[];
  edges: { cursor: string; node: { title: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

async function run<T = { owner: { notes: Page } }>(
  source: string,
  identity: Identity | null = null,
  variableValues?: Record<string, unknown>,
) {
  const contextValue = createBaseContext(
    { requestId: 'test', identity, clientAddress: null },
    pino({ level: 'silent' }),
  );
  const before = statements;
  const result = (await graphql({
    schema,
    source,
    contextValue,
    variableValues,
  })) as ExecutionResult<T>;
  return { ...result, statements: statements - before };
}

const PAGE = `totalCount nodes { title } edges { cursor node { title } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const notesOfA = (args: string) => `{ owner(name: "a") { notes${args} { ${PAGE} } } }`;

describe('a grouped connection', () => {
  it('counts only what the caller may read, in the same query as the page', async () => {
    const anonymous = await run(notesOfA('(first: 2)'));
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.owner.notes).toMatchObject({
      totalCount: 5,
      nodes: [{ title: 'public 1' }, { title: 'public 2' }],
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    expect(anonymous.statements).toBe(1);
    const own = await run(notesOfA('(first: 2)'), asAuthor);
    expect(own.data!.owner.notes).toMatchObject({
      totalCount: 7,
      nodes: [{ title: 'draft 1' }, { title: 'draft 2' }],
    });
  });

  it('pages forwards and backwards with cursors, each item once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = (
        await run(
          '($after: String) { owner(name: "a") { notes(first: 3, after: $after) { PAGE } } }'
            .replace('PAGE', PAGE)
            .replace(/^/, 'query'),
          asAuthor,
          { after },
        )
      ).data!.owner.notes;
      seen.push(...page.edges.map((edge) => edge.node.title));
      expect(page.nodes).toEqual(page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['draft 1', 'draft 2', ...[1, 2, 3, 4, 5].map((n) => `public ${n}`)]);

    const last = (await run(notesOfA('(last: 2)'))).data!.owner.notes;
    expect(last.nodes).toEqual([{ title: 'public 4' }, { title: 'public 5' }]);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = (await run(notesOfA(`(last: 2, before: "${last.pageInfo.startCursor}")`))).data!
      .owner.notes;
    expect(before.nodes).toEqual([{ title: 'public 2' }, { title: 'public 3' }]);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it(`gives ${PAGE_SIZE_DEFAULT} items when asked for no number`, async () => {
    const page = (await run(notesOfA(''), asAuthor)).data!.owner.notes;
    expect(page.edges).toHaveLength(7);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('loads the notes of every owner in the request with one query', async () => {
    const result = await run<{ a: { notes: Page }; b: { notes: Page } }>(
      `{ a: owner(name: "a") { notes(first: 1) { totalCount } }
         b: owner(name: "b") { notes(first: 1) { totalCount nodes { title } } } }`,
    );
    expect(result.data).toEqual({
      a: { notes: { totalCount: 5 } },
      b: { notes: { totalCount: 1, nodes: [{ title: 'public b' }] } },
    });
    expect(result.statements).toBe(1);
  });

  it(`refuses a page beyond ${PAGE_SIZE_MAX} before any query, explaining the cap`, async () => {
    const result = await run(notesOfA(`(first: ${PAGE_SIZE_MAX + 1})`));
    const refusal = result.errors?.[0]?.originalError as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'first' } });
    expect(refusal.message).toContain(`1 ページは ${PAGE_SIZE_MAX} 件までです`);
    expect(refusal.message).toContain(`a page holds at most ${PAGE_SIZE_MAX} items`);
    expect(result.statements).toBe(0);
    // Exactly the cap is fine.
    expect((await run(notesOfA(`(first: ${PAGE_SIZE_MAX})`))).errors).toBeUndefined();
  });

  it('refuses a cursor of another shape as BAD_USER_INPUT naming the argument', async () => {
    const compound = encodeBase64(`GPC:J:${JSON.stringify([randomUUID(), randomUUID()])}`);
    const result = await run(notesOfA(`(first: 1, after: "${compound}")`));
    expect(result.errors?.[0]?.originalError).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'after' },
    });
  });

  it('answers an empty page after a cursor whose item the caller cannot see (or is gone)', async () => {
    const own = (await run(notesOfA('(first: 1)'), asAuthor)).data!.owner.notes;
    const afterDraft = (await run(notesOfA(`(first: 2, after: "${own.pageInfo.endCursor}")`))).data!
      .owner.notes;
    expect(afterDraft).toMatchObject({
      totalCount: 5,
      nodes: [],
      pageInfo: { hasNextPage: false },
    });
  });

  it('has edges, nodes, pageInfo and totalCount in the SDL', () => {
    const connection = /type NoteConnection \{([^}]*)\}/.exec(printSchema(schema))![1]!;
    for (const field of [
      'pageInfo: PageInfo!',
      'edges: [NoteEdge!]!',
      'nodes: [Note!]!',
      'totalCount: Int!',
    ]) {
      expect(connection).toContain(field);
    }
  });
});

describe('countedList (root Prisma connections)', () => {
  type Args = ConnectionArgs & { owner: string };
  type Where = { owner: string; identity: Identity | null };
  const whereCalls: Where[] = [];
  const list = countedList<Args, HubContext, Where, Note>({
    where: (args, context) => {
      const where = { owner: args.owner, identity: context.identity };
      whereCalls.push(where);
      return where;
    },
    findMany: async (page, _context) => {
      const notes = await notesOf([page.where.owner], page.where.identity);
      return notes.slice(page.skip, page.skip + page.take);
    },
    count: async (where) => {
      const visible = visibleTo(where.identity);
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM note WHERE owner = $1 AND ${visible.sql.replace('$VIS', '$2')}`,
        [where.owner, ...visible.params],
      );
      return row!.n;
    },
  });
  const contextOf = (identity: Identity | null) =>
    createBaseContext({ requestId: 't', identity, clientAddress: null }, pino({ level: 'silent' }));

  it('counts with the condition the page used — visibility included — worked out once', async () => {
    for (const [identity, total] of [
      [null, 5],
      [asAuthor, 7],
    ] as const) {
      whereCalls.length = 0;
      const args: Args = { owner: 'a', first: 2 };
      const context = contextOf(identity);
      const before = statements;
      const [page, count] = await Promise.all([
        list.resolve({ take: 3, skip: 0 }, null, args, context),
        list.totalCount(null, args, context),
      ]);
      expect(page).toHaveLength(3);
      expect(count).toBe(total);
      expect(statements - before).toBe(2);
      expect(whereCalls).toHaveLength(1);
    }
  });
});

describe('sqlPageCut and sqlPageOf (pages cut in SQL)', () => {
  const ids = Array.from({ length: 4 }, () => randomUUID());
  const cursorOf = (id: string) => formatPrismaCursor({ id }, 'id');
  const nodeOf = (row: { row_id: string }) => ({ id: row.row_id });
  const rowsOf = (list: string[]) => list.map((id) => ({ row_id: id }));

  it('reads direction, size and the cursor id from the arguments', () => {
    expect(sqlPageCut({})).toEqual({ isBackward: false, size: PAGE_SIZE_DEFAULT, cursorId: null });
    expect(sqlPageCut({ first: 2, after: cursorOf(ids[0]!) })).toEqual({
      isBackward: false,
      size: 2,
      cursorId: ids[0],
    });
    expect(sqlPageCut({ last: 3, before: cursorOf(ids[1]!) })).toEqual({
      isBackward: true,
      size: 3,
      cursorId: ids[1],
    });
    // `before` alone pages backwards; `first` with `before` forwards, ignoring it for the cut.
    expect(sqlPageCut({ before: cursorOf(ids[1]!) }).isBackward).toBe(true);
    expect(sqlPageCut({ first: 1, before: cursorOf(ids[1]!) })).toEqual({
      isBackward: false,
      size: 1,
      cursorId: null,
    });
  });

  it('refuses a compound cursor, and one not a UUID unless told ids need not be', () => {
    const compound = encodeBase64(`GPC:J:${JSON.stringify([randomUUID(), randomUUID()])}`);
    expect(() => sqlPageCut({ after: compound })).toThrow(PothosValidationError);
    expect(() => sqlPageCut({ after: compound }, { uuidCursor: false })).toThrow(
      PothosValidationError,
    );
    const notUuid = formatPrismaCursor({ id: 'entry-1' }, 'id');
    expect(() => sqlPageCut({ after: notUuid })).toThrow(PothosValidationError);
    expect(sqlPageCut({ after: notUuid }, { uuidCursor: false }).cursorId).toBe('entry-1');
  });

  it('turns the rows read (one past the page) into a page with cursors and pageInfo', async () => {
    const args = { first: 2, after: cursorOf(ids[0]!) };
    const page = sqlPageOf(rowsOf(ids.slice(1)), {
      args,
      cut: sqlPageCut(args),
      nodeOf,
      totalCount: 4,
    });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(ids.slice(1, 3));
    expect(page.edges.map((edge) => edge.cursor)).toEqual(ids.slice(1, 3).map(cursorOf));
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: cursorOf(ids[1]!),
      endCursor: cursorOf(ids[2]!),
    });
    expect(page.totalCount).toBe(4);

    // Backwards, rows come newest-last from the reversed query: the page is turned round.
    const back = { last: 2, before: cursorOf(ids[3]!) };
    const backPage = sqlPageOf(rowsOf([ids[2]!, ids[1]!]), {
      args: back,
      cut: sqlPageCut(back),
      nodeOf,
      totalCount: () => 4,
    });
    expect(backPage.edges.map((edge) => edge.node.id)).toEqual([ids[1], ids[2]]);
    expect(backPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const empty = sqlPageOf([], { args: {}, cut: sqlPageCut({}), nodeOf, totalCount: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
