import { randomUUID } from 'node:crypto';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { Identity } from '@hub/identity';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ExecutionResult, graphql } from 'graphql';
import pg from 'pg';
import { pino } from 'pino';
import { z } from 'zod';
import { createSubgraphBuilder } from './builder.js';
import { createBaseContext, type HubContext } from './context.js';
import { AppError, DOMAIN_ERROR_CODES, ERROR_CODES, splitMessage } from './errors.js';
import { parseInput } from './input.js';
import { defineMutation } from './mutation.js';
import {
  ConflictError,
  CredentialError,
  InvalidInputError,
  NotFoundError,
  TYPED_ERROR_CLASSES,
  typedErrorOf,
} from './typed-errors.js';

// The mutation contract on a subgraph built the way services build theirs, executed in-process,
// writing to a real PostgreSQL database of its own: typed errors per family, what stays in
// errors[], and that a typed error leaves nothing written.

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'hub_test_kit_mutation' });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(`CREATE TABLE note (id uuid PRIMARY KEY, title text NOT NULL);
    CREATE TABLE outbox (id serial PRIMARY KEY, note_id uuid NOT NULL)`);
});

afterAll(async () => {
  await pool?.end();
  // @hub/testing's drop waits for the pool's sockets to close before forcing the rest.
  await database?.drop();
});

/** `prisma.$transaction(async (tx) => …)` as the domain code uses it: a throw rolls back. */
async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

type Note = { id: string; title: string };
type Input = { title: string; kind?: string | null };
const ZInput = z.object({
  title: z.string().trim().min(1, '空です (is empty)'),
  kind: z.string().nullish(),
});

/** Domain code as services write it: validate, then rows and their event in one transaction. */
async function addNote(input: Input): Promise<Note> {
  const fields = parseInput(ZInput, input);
  return transaction(async (client) => {
    const id = randomUUID();
    // Written first, so a failure below must undo it.
    await client.query('INSERT INTO note (id, title) VALUES ($1, $2)', [id, fields.title]);
    await client.query('INSERT INTO outbox (note_id) VALUES ($1)', [id]);
    const taken = await client.query(
      'SELECT count(*)::int AS n FROM note WHERE lower(title) = lower($1)',
      [fields.title],
    );
    if (taken.rows[0].n > 1) {
      throw new AppError('CONFLICT', `「${fields.title}」は登録済みです (title already taken)`, {
        field: 'title',
      });
    }
    if (fields.kind === 'missing') {
      throw new AppError('NOT_FOUND', '種類が見つかりません (kind not found)', { field: 'kind' });
    }
    if (fields.kind === 'password') {
      throw new AppError('INVALID_CREDENTIALS', 'パスワードが違います (wrong password)');
    }
    if (fields.kind === 'forbidden') {
      throw new AppError('FORBIDDEN', 'この操作の権限がありません (not allowed)');
    }
    if (fields.kind === 'bug') throw new Error('relation "nope" does not exist');
    return { id, title: fields.title };
  });
}

function testSchema() {
  const builder = createSubgraphBuilder<Record<string, never>, HubContext>({
    dmmf: { datamodel: { models: {} } },
    prismaOf: () => ({}),
  });
  const NoteRef = builder.objectRef<Note>('Note').implement({
    fields: (t) => ({ id: t.exposeID('id'), title: t.exposeString('title') }),
  });
  const AddNoteInput = builder.inputType('AddNoteInput', {
    fields: (t) => ({
      title: t.string({ required: true, maxLength: 20 }),
      kind: t.string({ required: false }),
    }),
  });
  builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
  builder.mutationType({});
  defineMutation(builder, 'addNote', {
    description: 'メモを追加 (add a note)',
    input: { type: AddNoteInput, description: '内容 (the note)' },
    success: { field: 'note', type: NoteRef, description: '追加したメモ (the note)' },
    errors: [InvalidInputError, NotFoundError, ConflictError, CredentialError],
    authScopes: () => ({ member: true }),
    resolve: (input) => addNote(input),
  });
  // The same domain code behind a mutation that declares fewer families.
  const CopyNoteInput = builder.inputType('CopyNoteInput', {
    fields: (t) => ({
      title: t.string({ required: true, maxLength: 20 }),
      kind: t.string({ required: false }),
    }),
  });
  defineMutation(builder, 'copyNote', {
    description: 'メモを複製 (copy a note)',
    input: { type: CopyNoteInput, description: '内容 (the note)' },
    success: { field: 'note', type: NoteRef, description: '複製したメモ (the copy)' },
    errors: [NotFoundError],
    resolve: (input) => addNote(input),
  });
  // Nothing to be told: no argument, still a payload.
  defineMutation(builder, 'forgetNotes', {
    description: 'メモを忘れる (forget the notes)',
    success: { field: 'note', type: NoteRef, description: '最後のメモ (the last note)' },
    errors: [NotFoundError],
    resolve: async () => {
      throw new AppError('NOT_FOUND', '忘れるメモがありません (no notes to forget)');
    },
  });
  // A domain that raises nothing: the payload is still a union (a family can come later).
  defineMutation(builder, 'countNotes', {
    description: 'メモを数える (count the notes)',
    success: { field: 'note', type: NoteRef, description: '最後のメモ (the last note)' },
    errors: [],
    resolve: async () => ({ id: 'n1', title: '最後 (last)' }),
  });
  return builder.toSubGraphSchema({});
}

const schema = testSchema();
const member: Identity = {
  kind: 'member',
  memberId: randomUUID(),
  sessionId: randomUUID(),
  roles: [],
  staffOf: [],
};

async function run(
  input: Record<string, unknown>,
  identity: Identity | null = member,
  mutation: 'addNote' | 'copyNote' = 'addNote',
) {
  const contextValue = createBaseContext(
    { requestId: 'test', identity, clientAddress: null },
    pino({ level: 'silent' }),
  );
  const typeName = mutation === 'addNote' ? 'AddNote' : 'CopyNote';
  const result = (await graphql({
    schema,
    source: `mutation($input: ${typeName}Input!) {
      result: ${mutation}(input: $input) {
        __typename
        ... on ${typeName}Success { note { title } }
        ... on Error { code message messageEn field }
      }
    }`,
    variableValues: { input },
    contextValue,
  })) as ExecutionResult<{ result: Record<string, unknown> }>;
  return { errors: result.errors, data: result.data && { addNote: result.data.result } };
}

const rowCounts = async () => {
  const { rows } = await pool.query(
    'SELECT (SELECT count(*) FROM note)::int AS notes, (SELECT count(*) FROM outbox)::int AS events',
  );
  return rows[0] as { notes: number; events: number };
};

describe('the payload of a mutation', () => {
  it('is the Success type carrying the entity when it works', async () => {
    const result = await run({ title: `note ${randomUUID().slice(0, 8)}` });
    expect(result.errors).toBeUndefined();
    expect(result.data!.addNote).toMatchObject({ __typename: 'AddNoteSuccess' });
  });

  it.each([
    [{ title: ' ' }, 'InvalidInputError', 'BAD_USER_INPUT', 'input.title'],
    [{ title: 'x1', kind: 'missing' }, 'NotFoundError', 'NOT_FOUND', 'input.kind'],
    [{ title: 'x2', kind: 'password' }, 'CredentialError', 'INVALID_CREDENTIALS', null],
  ])('returns %j as %s (%s, field %s)', async (input, typename, code, field) => {
    const result = await run(input);
    expect(result.errors).toBeUndefined();
    const error = result.data!.addNote;
    expect(error).toMatchObject({ __typename: typename, code, field });
    // Japanese in message, English in messageEn, each without the other.
    expect(error.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(error.message).not.toMatch(/\)$/);
    expect(error.messageEn).not.toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });

  it('returns a conflict found after rows were written, and nothing stays written', async () => {
    const title = `dup ${randomUUID().slice(0, 8)}`;
    expect((await run({ title })).data!.addNote.__typename).toBe('AddNoteSuccess');
    const before = await rowCounts();
    const result = await run({ title: title.toUpperCase() });
    expect(result.data!.addNote).toEqual({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      message: `「${title.toUpperCase()}」は登録済みです`,
      messageEn: 'title already taken',
      field: 'input.title',
    });
    // The note and its event were inserted inside the transaction the error rolled back.
    expect(await rowCounts()).toEqual(before);
  });
});

describe('what stays in errors[]', () => {
  const nothingWritten = async (
    input: Record<string, unknown>,
    identity: Identity | null = member,
    mutation: 'addNote' | 'copyNote' = 'addNote',
  ) => {
    const before = await rowCounts();
    const result = await run(input, identity, mutation);
    expect(result.data).toBeNull();
    expect(await rowCounts()).toEqual(before);
    return result.errors![0]!;
  };

  it('authentication and authorization, before the domain runs', async () => {
    const anonymous = await nothingWritten({ title: 'anonymous' }, null);
    expect(anonymous.extensions.code).toBe('UNAUTHENTICATED');
    // Raised by the domain itself, still not a typed error.
    const forbidden = await nothingWritten({ title: 'forbidden', kind: 'forbidden' });
    expect((forbidden.originalError as AppError).code).toBe('FORBIDDEN');
  });

  it('input the kit refuses (limits), naming the whole path', async () => {
    const refused = await nothingWritten({ title: 'x'.repeat(21) });
    expect(refused.originalError).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'input.title' },
    });
  });

  it('a domain error of a family the mutation did not declare', async () => {
    // copyNote declares only NotFoundError; the same conflict is typed on addNote.
    const title = `copied ${randomUUID().slice(0, 8)}`;
    expect((await run({ title })).data!.addNote.__typename).toBe('AddNoteSuccess');
    const undeclared = await nothingWritten({ title }, member, 'copyNote');
    expect((undeclared.originalError as AppError).code).toBe('CONFLICT');
    const typed = await run({ title: 'y1', kind: 'missing' }, member, 'copyNote');
    expect(typed.data!.addNote.__typename).toBe('NotFoundError');
  });

  it('anything else (an internal failure), masked later by the formatter', async () => {
    const bug = await nothingWritten({ title: 'bug', kind: 'bug' });
    expect(bug.originalError).not.toBeInstanceOf(AppError);
  });
});

describe('the schema', () => {
  const sdl = printSubgraphSchema(schema);

  it('names the mutation, its input, its payload union and its success type', () => {
    expect(sdl).toContain(
      'addNote(\n    """内容 (the note)"""\n    input: AddNoteInput!\n  ): AddNotePayload!',
    );
    expect(sdl).toContain(
      'union AddNotePayload = InvalidInputError | NotFoundError | ConflictError | CredentialError | AddNoteSuccess',
    );
    expect(sdl).toMatch(/type AddNoteSuccess \{[^}]*note: Note!/);
  });

  it('has the Error interface, shareable error types and an enum of every domain code', () => {
    const errorInterface = /interface Error \{([^}]*)\}/.exec(sdl)![1]!;
    for (const field of ['code: ErrorCode!', 'message: String!', 'messageEn: String!']) {
      expect(errorInterface).toContain(`  ${field}\n`);
    }
    expect(errorInterface).toMatch(/ {2}field: String\n/);
    for (const family of Object.keys(TYPED_ERROR_CLASSES)) {
      expect(sdl).toContain(`type ${family} implements Error\n  @shareable\n{`);
    }
    const values = /enum ErrorCode \{([^}]*)\}/.exec(sdl)![1]!;
    const listed = values.match(/^ {2}[A-Z_]+$/gm)!.map((line) => line.trim());
    expect(listed).toEqual(DOMAIN_ERROR_CODES);
    // About the request, not the domain: never a typed error.
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']) {
      expect(listed).not.toContain(code);
    }
  });

  it('gives a mutation with nothing to be told no argument, and still a payload', async () => {
    expect(sdl).toContain('forgetNotes: ForgetNotesPayload!');
    const result = await graphql({
      schema,
      source: 'mutation { forgetNotes { __typename ... on Error { code field messageEn } } }',
      contextValue: createBaseContext(
        { requestId: 'test', identity: member, clientAddress: null },
        pino({ level: 'silent' }),
      ),
    });
    expect(result.data).toEqual({
      forgetNotes: {
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field: null,
        messageEn: 'no notes to forget',
      },
    });
  });

  it('gives a mutation without typed errors a payload union of its success alone', async () => {
    expect(sdl).toContain('union CountNotesPayload = CountNotesSuccess');
    const result = await graphql({
      schema,
      source: 'mutation { countNotes { __typename ... on CountNotesSuccess { note { id } } } }',
      contextValue: createBaseContext(
        { requestId: 'test', identity: member, clientAddress: null },
        pino({ level: 'silent' }),
      ),
    });
    expect(result).toEqual({
      data: { countNotes: { __typename: 'CountNotesSuccess', note: { id: 'n1' } } },
    });
  });

  it('refuses a mutation whose input is not named after it', () => {
    const builder = createSubgraphBuilder<Record<string, never>, HubContext>({
      dmmf: { datamodel: { models: {} } },
      prismaOf: () => ({}),
    });
    const Thing = builder.objectRef<{ id: string }>('Thing').implement({
      fields: (t) => ({ id: t.exposeID('id') }),
    });
    const Wrong = builder.inputType('ThingFields', {
      fields: (t) => ({ id: t.id({ required: true }) }),
    });
    expect(() =>
      defineMutation(builder, 'saveThing', {
        description: 'x',
        input: { type: Wrong, description: 'x' },
        success: { field: 'thing', type: Thing, description: 'x' },
        errors: [NotFoundError],
        resolve: async (input) => input,
      }),
    ).toThrow('must be named SaveThingInput');
  });
});

describe('typedErrorOf', () => {
  it('puts every domain code in exactly one declared family', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      const family = ERROR_CODES[code].family!;
      const error = new AppError(code, 'だめ (no)', { field: 'a.0.b' });
      const typed = typedErrorOf(error, [TYPED_ERROR_CLASSES[family]]);
      expect(typed).toMatchObject({ name: family, code, field: 'input.a.0.b' });
      const others = Object.values(TYPED_ERROR_CLASSES).filter(
        (Class) => Class !== TYPED_ERROR_CLASSES[family],
      );
      expect(typedErrorOf(error, others)).toBeNull();
    }
  });

  it('names the whole input for an error about the input as a whole', () => {
    const typed = typedErrorOf(new AppError('BAD_USER_INPUT', 'だめ (no)', { field: '' }), [
      InvalidInputError,
    ]);
    expect(typed?.field).toBe('input');
  });
});

describe('splitMessage', () => {
  it.each([
    ['日本語 (English)', '日本語', 'English'],
    [
      '入力: name — 空 (empty) (invalid input: name — empty)',
      '入力: name — 空 (empty)',
      'invalid input: name — empty',
    ],
    ['括弧なし', '括弧なし', '括弧なし'],
    ['(only English)', '(only English)', '(only English)'],
  ])('%j → %j / %j', (message, ja, en) => {
    expect(splitMessage(message)).toEqual({ ja, en });
  });
});
