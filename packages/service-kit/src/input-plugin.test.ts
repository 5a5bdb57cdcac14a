import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { encodeBase64, PothosValidationError } from '@pothos/core';
import { type ExecutionResult, graphql, printSchema } from 'graphql';
import { pino } from 'pino';
import { createSubgraphBuilder } from './builder.js';
import { createBaseContext, type HubContext } from './context.js';
import { AppError } from './errors.js';
import { DEFAULT_MAX_STRING_LENGTH, PAGE_SIZE_MAX } from './input-plugin.js';
import { JsonScalar } from './scalars.js';

// The kit's input checks on a subgraph built the way services build theirs (createSubgraphBuilder,
// so the plugin order is the real one), executed in-process.

type Calls = { resolved: string[]; scopeChecks: number; refusals: AppError[] };

function testSchema() {
  const builder = createSubgraphBuilder<Record<string, never>, HubContext & { calls: Calls }>({
    dmmf: { datamodel: { models: {} } },
    prismaOf: () => ({}),
  });
  builder.addScalarType('JSON', JsonScalar);

  type Child = { id: string; note?: string | null; children?: Child[] | null };
  const ChildInput = builder.inputRef<Child>('ChildInput');
  ChildInput.implement({
    fields: (t) => ({
      id: t.id({ required: true }),
      note: t.string({ required: false, maxLength: 20 }),
      children: t.field({ type: [ChildInput], required: false }),
    }),
  });
  const SaveInput = builder.inputType('SaveInput', {
    fields: (t) => ({
      email: t.string({ required: true, maxLength: 254 }),
      name: t.string({ required: false }),
      tags: t.stringList({ required: false, maxLength: 5 }),
      ownerId: t.id({ required: false }),
      externalKey: t.id({ required: false, isUuid: false, maxLength: 12 }),
      children: t.field({ type: [ChildInput], required: false }),
      data: t.field({ type: 'JSON', required: false }),
      count: t.int({ required: false, min: 1, max: 10 }),
    }),
  });

  const Thing = builder.objectRef<{ id: string }>('Thing').implement({
    fields: (t) => ({ id: t.exposeID('id') }),
  });
  const resolvedReferences: string[] = [];
  builder.asEntity(Thing, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: (ref) => {
      resolvedReferences.push(ref.id);
      return { id: ref.id };
    },
  });

  builder.queryType({
    fields: (t) => ({
      thing: t.string({
        nullable: true,
        args: { id: t.arg.id({ required: true }) },
        // Scope rules read arguments (e.g. load the row to find its operator): they must only
        // ever see checked values.
        authScopes: (_root, _args, context) => {
          context.calls.scopeChecks += 1;
          return { public: true };
        },
        resolve: (_root, { id }, context) => {
          context.calls.resolved.push(id);
          return id;
        },
      }),
      echo: t.string({
        nullable: true,
        args: { text: t.arg.string({ required: false }) },
        resolve: (_root, { text }) => text ?? null,
      }),
      list: t.int({
        args: { limit: t.arg.int({ required: false, defaultValue: 50, min: 1, max: 200 }) },
        resolve: (_root, { limit }) => limit ?? 0,
      }),
      things: t.connection({
        type: Thing,
        resolve: () => ({
          edges: [],
          pageInfo: { hasNextPage: false, hasPreviousPage: false },
        }),
      }),
      // Fails like a Prisma connection given a cursor of another connection's shape.
      compoundThings: t.connection({
        type: Thing,
        args: { fail: t.arg.boolean({ required: false }) },
        resolve: async (_root, args) => {
          if (args.fail) throw new Error('database is down');
          throw new PothosValidationError('Expected compound cursor to contain an array');
        },
      }),
    }),
  });
  builder.mutationType({
    fields: (t) => ({
      save: t.boolean({
        args: { input: t.arg({ type: SaveInput, required: true }) },
        resolve: (_root, _args, context) => {
          context.calls.resolved.push('save');
          return true;
        },
      }),
      signIn: t.boolean({
        args: { email: t.arg.string({ required: true, maxLength: 254 }) },
        onInputRefused: async (context, refusal) => {
          context.calls.refusals.push(refusal);
        },
        resolve: () => true,
      }),
    }),
  });
  return { schema: builder.toSubGraphSchema({}), resolvedReferences };
}

const { schema, resolvedReferences } = testSchema();

async function run(source: string, variableValues?: Record<string, unknown>) {
  const calls: Calls = { resolved: [], scopeChecks: 0, refusals: [] };
  const base = createBaseContext(
    { requestId: 'test', identity: null, clientAddress: null },
    pino({ level: 'silent' }),
  );
  const result = (await graphql({
    schema,
    source,
    variableValues,
    contextValue: { ...base, calls },
  })) as ExecutionResult;
  return { result, calls };
}

/** The refusal a request got: an AppError BAD_USER_INPUT naming the field. */
function refusalOf(result: ExecutionResult) {
  const original = result.errors?.[0]?.originalError;
  expect(original).toBeInstanceOf(AppError);
  const error = original as AppError;
  expect(error.code).toBe('BAD_USER_INPUT');
  // Japanese first, English in parentheses, like every message of the hub.
  expect(error.message).toMatch(/^[^(]*[ぁ-んァ-ヶ一-龠].*\(.+\)/);
  return { field: error.details.field, message: error.message };
}

const SAVE = 'mutation($input: SaveInput!) { save(input: $input) }';
const valid = { email: 'sora@example.jp' };

describe('ID arguments and input fields', () => {
  it('passes a UUID to the resolver', async () => {
    const id = randomUUID();
    const { result, calls } = await run('query($id: ID!) { thing(id: $id) }', { id });
    expect(result.errors).toBeUndefined();
    expect(calls.resolved).toEqual([id]);
  });

  it.each(['x', '', '123', `${randomUUID()} `, `${randomUUID()}\u0000`])(
    'refuses %j before scope rules and the resolver run',
    async (id) => {
      const { result, calls } = await run('query($id: ID!) { thing(id: $id) }', { id });
      expect(refusalOf(result)).toMatchObject({ field: 'id' });
      expect(calls).toMatchObject({ resolved: [], scopeChecks: 0 });
    },
  );

  it('refuses an id written as a literal in the query too', async () => {
    const { result } = await run('{ thing(id: "x") }');
    expect(refusalOf(result).field).toBe('id');
  });

  it('checks ids in nested input objects and lists, naming the path', async () => {
    const { result, calls } = await run(SAVE, {
      input: {
        ...valid,
        children: [
          { id: randomUUID() },
          { id: randomUUID(), children: [{ id: randomUUID() }, { id: 'child-2' }] },
        ],
      },
    });
    expect(refusalOf(result).field).toBe('input.children.1.children.1.id');
    expect(calls.resolved).toEqual([]);
  });

  it('lets an ID declared isUuid: false through, with its length limit', async () => {
    const ok = await run(SAVE, { input: { ...valid, externalKey: 'ABC-123' } });
    expect(ok.result.errors).toBeUndefined();
    const long = await run(SAVE, { input: { ...valid, externalKey: 'ABCDEFGHIJKLM' } });
    expect(refusalOf(long.result).field).toBe('input.externalKey');
  });
});

describe('strings', () => {
  it.each([
    ['a NUL byte', 'sora\u0000@example.jp'],
    ['a lone high surrogate', 'sora\uD800@example.jp'],
    ['a lone low surrogate', '\uDC00sora@example.jp'],
  ])('refuses %s in an argument', async (_label, email) => {
    const { result } = await run('mutation($e: String!) { signIn(email: $e) }', { e: email });
    expect(refusalOf(result).field).toBe('email');
  });

  it('accepts a surrogate pair (an emoji) and counts it as one character', async () => {
    const { result } = await run(SAVE, { input: { ...valid, tags: ['🏠🏠🏠🏠🏠'] } });
    expect(result.errors).toBeUndefined();
    const long = await run(SAVE, { input: { ...valid, tags: ['🏠🏠🏠🏠🏠🏠'] } });
    expect(refusalOf(long.result)).toMatchObject({ field: 'input.tags.0' });
  });

  it('refuses a NUL in a list item and in a nested input field', async () => {
    const inList = await run(SAVE, { input: { ...valid, tags: ['ok', 'b\u0000d'] } });
    expect(refusalOf(inList.result).field).toBe('input.tags.1');
    const nested = await run(SAVE, {
      input: { ...valid, children: [{ id: randomUUID(), note: '\u0000' }] },
    });
    expect(refusalOf(nested.result).field).toBe('input.children.0.note');
  });

  it('enforces a declared maxLength and names it in the message', async () => {
    const email = `${'a'.repeat(244)}@example.jp`; // 255 characters
    const { result, calls } = await run(SAVE, { input: { email } });
    expect(refusalOf(result)).toMatchObject({ field: 'input.email' });
    expect(refusalOf(result).message).toContain('254');
    expect(calls.resolved).toEqual([]);
    const atLimit = await run(SAVE, { input: { email: email.slice(1) } });
    expect(atLimit.result.errors).toBeUndefined();
  });

  it(`gives every other String the default of ${DEFAULT_MAX_STRING_LENGTH} characters`, async () => {
    const atLimit = await run('query($t: String) { echo(text: $t) }', {
      t: 'あ'.repeat(DEFAULT_MAX_STRING_LENGTH),
    });
    expect(atLimit.result.errors).toBeUndefined();
    const over = await run('query($t: String) { echo(text: $t) }', {
      t: 'あ'.repeat(DEFAULT_MAX_STRING_LENGTH + 1),
    });
    expect(refusalOf(over.result).field).toBe('text');
    const nested = await run(SAVE, {
      input: { ...valid, name: 'x'.repeat(DEFAULT_MAX_STRING_LENGTH + 1) },
    });
    expect(refusalOf(nested.result).field).toBe('input.name');
  });

  it('checks every string inside a custom scalar (JSON), keys included', async () => {
    const ok = await run(SAVE, { input: { ...valid, data: { a: ['b', { c: 'd' }], n: 1 } } });
    expect(ok.result.errors).toBeUndefined();
    const inValue = await run(SAVE, { input: { ...valid, data: { a: ['b', { c: 'd\u0000' }] } } });
    expect(refusalOf(inValue.result).field).toBe('input.data.a.1.c');
    const inKey = await run(SAVE, { input: { ...valid, data: { 'k\u0000': 1 } } });
    expect(refusalOf(inKey.result).field).toBe('input.data');
    const long = await run(SAVE, {
      input: { ...valid, data: ['x'.repeat(DEFAULT_MAX_STRING_LENGTH + 1)] },
    });
    expect(refusalOf(long.result).field).toBe('input.data.0');
  });

  it('survives a deeply nested JSON value', async () => {
    let data: unknown = 'leaf\u0000';
    for (let depth = 0; depth < 50_000; depth += 1) data = [data];
    const { result } = await run(SAVE, { input: { ...valid, data } });
    expect(refusalOf(result).field).toMatch(/^input\.data(\.0)+$/);
  });

  it('shows the limits in the SDL descriptions', () => {
    const sdl = printSchema(schema);
    expect(sdl).toContain('最大 254 文字 (at most 254 characters)');
    expect(sdl).toContain(
      `最大 ${DEFAULT_MAX_STRING_LENGTH} 文字 (at most ${DEFAULT_MAX_STRING_LENGTH} characters)`,
    );
    expect(sdl).toContain('範囲 1〜200 (range 1–200)');
    // Page sizes show the cap; cursors are opaque and show nothing.
    expect(sdl).toContain(
      '先頭から取得する件数 — 省略時 20 (number of items from the start; 20 when omitted) — 範囲 0〜100 (range 0–100)',
    );
    expect(sdl).toContain('"""このカーソルより後を取得 (items after this cursor)"""');
  });
});

describe('numbers', () => {
  it.each([
    [0, false],
    [1, true],
    [200, true],
    [201, false],
    [-1, false],
  ])('limit %d is accepted: %s', async (limit, isAccepted) => {
    const { result } = await run('query($l: Int) { list(limit: $l) }', { l: limit });
    if (isAccepted) {
      expect(result.data).toEqual({ list: limit });
    } else {
      expect(refusalOf(result)).toMatchObject({ field: 'limit' });
      expect(refusalOf(result).message).toContain('1〜200');
    }
  });

  it('checks ranged Ints inside input objects', async () => {
    const { result } = await run(SAVE, { input: { ...valid, count: 11 } });
    expect(refusalOf(result).field).toBe('input.count');
  });
});

describe('connection arguments', () => {
  const cursor = (payload: string) => encodeBase64(`GPC:${payload}`);
  const page = (args: string) => run(`{ things(${args}) { edges { cursor } } }`);

  it('accepts a page within the cap and a cursor as Pothos writes it', async () => {
    const { result } = await page(
      `first: ${PAGE_SIZE_MAX}, after: "${cursor(`S:${randomUUID()}`)}"`,
    );
    expect(result.errors).toBeUndefined();
  });

  it('accepts a compound cursor (a timestamp and a UUID)', async () => {
    const compound = cursor(`T:["D:1700000000000","S:${randomUUID()}"]`);
    const { result } = await page(`first: 3, after: "${compound}"`);
    expect(result.errors).toBeUndefined();
  });

  it('refuses a well-formed cursor of the wrong shape for the connection', async () => {
    const after = cursor(`S:${randomUUID()}`);
    const { result } = await run(
      `{ compoundThings(first: 3, after: "${after}") { edges { cursor } } }`,
    );
    expect(refusalOf(result).field).toBe('after');
    // Other failures of the resolver stay internal errors.
    const failed = await run(
      `{ compoundThings(first: 3, after: "${after}", fail: true) { edges { cursor } } }`,
    );
    expect(failed.result.errors?.[0]?.originalError).not.toBeInstanceOf(AppError);
  });

  it.each([
    ['first: -1', 'first', '0〜100'],
    ['last: -5', 'last', '0〜100'],
    // Beyond the cap: refused (never clamped), saying how to page on.
    [`first: ${PAGE_SIZE_MAX + 1}`, 'first', 'a page holds at most 100 items'],
    ['first: 2, last: 2', 'last', 'first'],
    [
      `before: "${cursor(`S:${randomUUID()}`)}", after: "${cursor(`S:${randomUUID()}`)}"`,
      'before',
      'after',
    ],
    [`first: 2, before: "${cursor(`S:${randomUUID()}`)}"`, 'before', 'last'],
    [`last: 2, after: "${cursor(`S:${randomUUID()}`)}"`, 'after', 'first'],
    ['after: "garbage"', 'after', 'cursor'],
    [`after: "${encodeBase64('GPC:garbage')}"`, 'after', 'cursor'],
    [`after: "${cursor('S:not-a-uuid')}"`, 'after', 'cursor'],
    [`before: "${cursor('I:5')}"`, 'before', 'cursor'],
    [`after: "${cursor('T:[]')}"`, 'after', 'cursor'],
    [`after: "${cursor(`T:["D:1700000000000","S:x"]`)}"`, 'after', 'cursor'],
  ])('refuses %s as BAD_USER_INPUT on %s', async (args, field, mention) => {
    const { result } = await page(args);
    const refusal = refusalOf(result);
    expect(refusal.field).toBe(field);
    expect(refusal.message).toContain(mention);
  });
});

describe('onInputRefused', () => {
  it('runs before the refusal is returned, for refused input only', async () => {
    const refused = await run('mutation($e: String!) { signIn(email: $e) }', {
      e: `${'a'.repeat(7000)}@example.jp`,
    });
    expect(refusalOf(refused.result).field).toBe('email');
    expect(refused.calls.refusals.map((refusal) => refusal.details.field)).toEqual(['email']);
    const accepted = await run('mutation { signIn(email: "sora@example.jp") }');
    expect(accepted.result.errors).toBeUndefined();
    expect(accepted.calls.refusals).toEqual([]);
  });
});

describe('entity representations', () => {
  const entities = (representations: unknown[]) =>
    run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id } } }', {
      r: representations,
    });

  it('resolves a representation with a malformed key to null without calling resolveReference', async () => {
    resolvedReferences.length = 0;
    const id = randomUUID();
    const { result } = await entities([
      { __typename: 'Thing', id },
      { __typename: 'Thing', id: 'not-a-uuid' },
      { __typename: 'Thing', id: 42 },
      { __typename: 'Thing', id: `${randomUUID()}\u0000` },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ _entities: [{ id }, null, null, null] });
    expect(resolvedReferences).toEqual([id]);
  });

  it('holds other representation fields to storability only, not to a length', async () => {
    const id = randomUUID();
    const { result } = await entities([
      { __typename: 'Thing', id, note: 'x'.repeat(DEFAULT_MAX_STRING_LENGTH + 1) },
      { __typename: 'Thing', id, note: { nested: 'a\u0000' } },
    ]);
    expect(result.data).toEqual({ _entities: [{ id }, null] });
  });
});

describe('declarations', () => {
  it('refuses a maxLength on a non-string and isUuid on a non-ID when the schema is built', () => {
    const builder = createSubgraphBuilder<Record<string, never>, HubContext>({
      dmmf: { datamodel: { models: {} } },
      prismaOf: () => ({}),
    });
    builder.queryType({
      fields: (t) => ({
        count: t.int({
          args: { n: t.arg.int({ required: true, maxLength: 3 }) },
          resolve: (_root, { n }) => n,
        }),
      }),
    });
    expect(() => builder.toSubGraphSchema({})).toThrow(/Query\.count\(n\): maxLength/);
  });
});
