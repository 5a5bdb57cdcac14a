import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import {
  argumentValue,
  nastyString,
  type Pools,
  str,
  toJson,
  toLiteral,
  type Value,
} from './arguments.js';
import type { Rng } from './random.js';

/** A GraphQL request body before it is put on the wire (see requests.ts for the transports). */
export type Operation = {
  /** What was generated, for the summary and for grouping failures (e.g. `query member`). */
  label: string;
  query: string;
  /** JSON text of the variables object, written by hand (see arguments.ts `toJson`). */
  variables?: string;
  operationName?: string;
  /** The root field an operation calls, if it was generated for one. */
  rootField?: string;
  isMutation?: boolean;
};

export type DocumentContext = { schema: GraphQLSchema; rng: Rng; pools: Pools };

/** Every root field of the API, queries and mutations, so each one is called in a run. */
export function rootFields(
  schema: GraphQLSchema,
): { field: GraphQLField<unknown, unknown>; isMutation: boolean }[] {
  const of = (type: GraphQLObjectType | null | undefined, isMutation: boolean) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ field, isMutation }));
  return [...of(schema.getQueryType(), false), ...of(schema.getMutationType(), true)];
}

// ---------------------------------------------------------------------------------------------
// Valid operations for a root field, with random arguments and a random selection set

type Built = { variables: string[]; definitions: string[]; fragments: string[] };

/**
 * An operation calling `field` with random arguments, inline or as variables, and a random
 * selection set that crosses into other subgraphs (federated fields, entity references).
 */
export function rootFieldOperation(
  context: DocumentContext,
  field: GraphQLField<unknown, unknown>,
  isMutation: boolean,
): Operation {
  const { rng } = context;
  const isHostile = rng.chance(0.6);
  const style = rng.weighted<'inline' | 'variables' | 'mixed'>([
    [4, 'inline'],
    [4, 'variables'],
    [1, 'mixed'],
  ]);
  const built: Built = { variables: [], definitions: [], fragments: [] };
  const args = argumentsText(context, field, style, built, isHostile);
  const selection = isLeafType(getNamedType(field.type))
    ? ''
    : ` ${selectionSet(context, getNamedType(field.type), 1, rng.int(1, 4), built)}`;
  const alias = rng.chance(0.1) ? `${rng.pick(['a', 'result', '__x', 'me'])}: ` : '';
  const directive = rng.chance(0.05) ? rng.pick([' @include(if: true)', ' @skip(if: false)']) : '';
  const body = `{ ${alias}${field.name}${args}${directive}${selection} }`;
  const name = rng.chance(0.5) ? `Fuzz${rng.int(0, 999)}` : '';
  const keyword = isMutation ? 'mutation' : 'query';
  const definitions = built.definitions.length > 0 ? `(${built.definitions.join(', ')})` : '';
  const head =
    !isMutation && !name && !definitions && rng.chance(0.5)
      ? ''
      : `${keyword}${name ? ` ${name}` : ''}${definitions} `;
  const query = [`${head}${body}`, ...built.fragments].join('\n');
  return {
    label: `${keyword} ${field.name} (${style}${isHostile ? ', hostile' : ''})`,
    query,
    ...(built.variables.length > 0 ? { variables: `{${built.variables.join(',')}}` } : {}),
    ...(name && rng.chance(0.7) ? { operationName: name } : {}),
    rootField: field.name,
    isMutation,
  };
}

// A declared type that does not match the argument's: the gateway must refuse it in validation.
const WRONG_VARIABLE_TYPES = ['String', 'Int!', '[ID]', 'Boolean!', 'NoSuchType', 'JSON', 'ID'];

function argumentsText(
  context: DocumentContext,
  field: GraphQLField<unknown, unknown>,
  style: 'inline' | 'variables' | 'mixed',
  built: Built,
  isHostile: boolean,
): string {
  const { rng } = context;
  const parts: string[] = [];
  for (const arg of field.args) {
    const isRequired = isNonNullType(arg.type) && arg.defaultValue === undefined;
    // Required arguments are left out now and then (a validation error), optional ones half
    // the time.
    if (isRequired ? isHostile && rng.chance(0.05) : !rng.chance(0.5)) continue;
    const value = argumentValue(arg.type, arg.name, {
      rng,
      pools: context.pools,
      fieldName: field.name,
      isHostile,
    });
    const asVariable = style === 'variables' || (style === 'mixed' && rng.chance(0.5));
    if (!asVariable) {
      parts.push(`${arg.name}: ${toLiteral(value)}`);
      continue;
    }
    parts.push(`${arg.name}: ${declareVariable(context, arg, value, built, isHostile)}`);
  }
  if (isHostile && rng.chance(0.05)) parts.push(`${rng.pick(['unknownArg', 'id', 'first'])}: 1`);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

function declareVariable(
  context: DocumentContext,
  arg: GraphQLArgument,
  value: Value,
  built: Built,
  isHostile: boolean,
): string {
  const { rng } = context;
  const name = `v_${arg.name}`;
  const isWrong = isHostile && rng.chance(0.06);
  const declared = isWrong ? rng.pick(WRONG_VARIABLE_TYPES) : String(arg.type);
  const defaultValue = rng.chance(0.03) ? ` = ${toLiteral(value)}` : '';
  built.definitions.push(`$${name}: ${declared}${defaultValue}`);
  // A declared variable whose value is missing: a required one must be refused cleanly.
  if (!(isHostile && rng.chance(0.05)))
    built.variables.push(`${JSON.stringify(name)}:${toJson(value)}`);
  return `$${name}`;
}

/**
 * A selection of `type`'s fields: some scalars, some nested objects (down to `maxDepth`),
 * sometimes aliased, through inline or named fragments, with `__typename` here and there.
 */
export function selectionSet(
  context: DocumentContext,
  type: GraphQLNamedType,
  depth: number,
  maxDepth: number,
  built: Built,
): string {
  const { rng } = context;
  if (isAbstractType(type)) {
    const possible = context.schema.getPossibleTypes(type);
    const fragments = possible
      .filter(() => rng.chance(0.5))
      .slice(0, 2)
      .map(
        (member) =>
          `... on ${member.name} ${selectionSet(context, member, depth, maxDepth, built)}`,
      );
    return `{ __typename ${fragments.join(' ')} }`;
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '{ __typename }';
  const fields = Object.values(type.getFields());
  const count = rng.weighted<() => number>([
    [6, () => rng.int(1, 3)],
    [3, () => rng.int(4, 6)],
    [1, () => rng.int(7, 12)],
  ])();
  const chosen: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const field = rng.pick(fields);
    const named = getNamedType(field.type);
    const isComposite = isCompositeType(named);
    if (isComposite && depth >= maxDepth) continue;
    const alias = rng.chance(0.08) ? `${field.name}_${index}: ` : '';
    const args = nestedArguments(context, field);
    const sub = isComposite ? ` ${selectionSet(context, named, depth + 1, maxDepth, built)}` : '';
    chosen.push(`${alias}${field.name}${args}${sub}`);
  }
  if (rng.chance(0.15)) chosen.push('__typename');
  if (chosen.length === 0) chosen.push(leafFieldOf(type) ?? '__typename');
  const inner = [...new Set(chosen)].join(' ');
  // The same selection through an inline fragment or a named fragment, now and then.
  if (rng.chance(0.08)) return `{ ... on ${type.name} { ${inner} } }`;
  if (rng.chance(0.05)) {
    const name = `F${built.fragments.length}_${type.name}`;
    built.fragments.push(`fragment ${name} on ${type.name} { ${inner} }`);
    return `{ ...${name} }`;
  }
  return `{ ${inner} }`;
}

function leafFieldOf(type: GraphQLObjectType | GraphQLInterfaceType): string | undefined {
  return Object.values(type.getFields()).find(
    (field) =>
      isLeafType(getNamedType(field.type)) && field.args.every((arg) => !isNonNullType(arg.type)),
  )?.name;
}

/** Arguments of a nested field (e.g. `upcomingEvents(first:)`), always inline. */
function nestedArguments(context: DocumentContext, field: GraphQLField<unknown, unknown>): string {
  const { rng } = context;
  const parts: string[] = [];
  for (const arg of field.args) {
    const isRequired = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!isRequired && !rng.chance(0.3)) continue;
    const value = argumentValue(arg.type, arg.name, {
      rng,
      pools: context.pools,
      fieldName: field.name,
      isHostile: rng.chance(0.3),
    });
    parts.push(`${arg.name}: ${toLiteral(value)}`);
  }
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

// ---------------------------------------------------------------------------------------------
// Broken and abusive documents

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '=',
  '@',
  '$',
  '!',
  '|',
  '&',
  '...',
  ',',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'true',
  'false',
  'null',
  'spaces',
  'member',
  'id',
  'name',
  '__typename',
  '__schema',
  'Query',
  'String',
  'ID!',
  '"x"',
  '"""block"""',
  '0',
  '-1',
  '1.5e10',
  '"\\u0000"',
  '"\\ud800"',
  '#comment\n',
];

/** A small valid document to cut, unbalance or wrap. */
function seedDocument(context: DocumentContext): string {
  return context.rng.pick([
    '{ spaces(first: 2) { nodes { id name municipality { code name } operator { name } } } }',
    'query Q($id: ID!) { member(id: $id) { id displayName } }',
    'mutation M { signIn(input: { email: "a@b.jp", password: "x" }) { __typename } }',
    '{ events(first: 2) { edges { cursor node { id title } } pageInfo { hasNextPage } } }',
    '{ organizations(first: 3) { edges { node { id name spaces { nodes { name } } events { nodes { title } } } } } }',
  ]);
}

/** The broken documents, each a known way to reach an unguarded corner of a GraphQL server. */
export function brokenOperation(context: DocumentContext): Operation {
  const { rng } = context;
  const kind = rng.pick(Object.keys(BROKEN) as (keyof typeof BROKEN)[]);
  return { label: `broken ${kind}`, ...BROKEN[kind](context) };
}

type Broken = (context: DocumentContext) => Omit<Operation, 'label'>;

const BROKEN = {
  truncated: ({ rng, ...rest }) => {
    const document = seedDocument({ rng, ...rest });
    return { query: document.slice(0, rng.int(0, document.length - 1)) };
  },
  unbalanced: ({ rng, ...rest }) => {
    const document = seedDocument({ rng, ...rest });
    const at = rng.int(0, document.length);
    const insert = rng.pick(['{', '}', '(', ')', '[', ']', '"', '}}}}', '{{{{']);
    return { query: document.slice(0, at) + insert + document.slice(at) };
  },
  tokenSoup: ({ rng }) => ({
    query: Array.from({ length: rng.int(1, 200) }, () => rng.pick(TOKENS)).join(' '),
  }),
  unknownField: ({ rng }) => ({
    query: rng.pick([
      '{ nope }',
      '{ spaces { nope } }',
      '{ spaces(nope: 1) { id } }',
      'query ($x: Nope) { __typename }',
      '{ ... on Nope { id } }',
      '{ spaces { nodes { id ... on Member { displayName } } } }',
      '{ __typename @nope }',
      '{ spaces @nope(if: true) { nodes { id } } }',
      '{ spaces { nodes { id @defer } } }',
      '{ spaces { nodes @stream(initialCount: 1) { id } } }',
      'query @deprecated { __typename }',
      '{ __type(name: "Space") { fields { name } } __nope }',
      '{ spaces { nodes { name(arg: 1) } } }',
      '{ member { id } }',
      '{ spaces { nodes { operator } } }',
      '{ __typename { x } }',
      'mutation { spaces { id } }',
      'query { signIn(input: { email: "a", password: "b" }) { __typename } }',
    ]),
  }),
  duplicateOperationNames: ({ rng }) => ({
    query: 'query A { __typename } query A { spaces(first: 1) { nodes { id } } }',
    ...(rng.chance(0.7) ? { operationName: 'A' } : {}),
  }),
  operationNameMismatch: ({ rng }) => ({
    query: rng.pick([
      'query Real { __typename }',
      '{ __typename }',
      'query A { __typename } query B { __typename }',
      'mutation M { signOutEverywhere { __typename } }',
    ]),
    operationName: rng.pick(['Nope', '', ' ', 'a'.repeat(5000), '\u0000', 'Real ', '__proto__']),
  }),
  severalOperations: ({ rng }) => ({
    query: rng.pick([
      'query A { __typename } query B { __typename }',
      'query A { __typename } mutation B { signOutEverywhere { __typename } }',
      '{ __typename } query B { __typename }',
      '{ __typename } { __typename }',
      'query A { __typename } subscription S { __typename }',
    ]),
  }),
  subscription: ({ rng }) => ({
    query: rng.pick([
      'subscription { __typename }',
      'subscription S { spaces { nodes { id } } }',
      'subscription S($id: ID!) { member(id: $id) { id } }',
      'subscription',
    ]),
    ...(rng.chance(0.5) ? { operationName: 'S' } : {}),
  }),
  fragmentCycle: ({ rng }) => ({
    query: rng.pick([
      'query { ...A } fragment A on Query { ...A }',
      'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      'query { spaces { nodes { ...S } } } fragment S on Space { operator { spaces { nodes { ...S } } } }',
      'query { ...Missing }',
      'query { __typename } fragment Unused on Query { __typename }',
      'query { ...A } fragment A on Space { id }',
      'fragment A on Query { __typename }',
      'query { ...A ...A } fragment A on Query { __typename } fragment A on Query { __typename }',
    ]),
  }),
  deepNesting: (context) => {
    const depth = context.rng.pick([11, 12, 20, 40, 100]);
    return { query: `{ ${walk(context, context.schema.getQueryType()!, depth)} }` };
  },
  deepBraces: ({ rng }) => {
    // Past ~1,500 levels graphql-js's recursive parser runs out of stack before the token limit.
    const depth = rng.pick([50, 500, 2500, 5000, 50_000]);
    return {
      query: rng.pick([
        `{ ${'... on Query { '.repeat(depth)}__typename${' }'.repeat(depth)} }`,
        `{ spaces(filter: ${'{ text: '.repeat(depth)}"x"${' }'.repeat(depth)}) { nodes { id } } }`,
        `{ spaces(first: ${'['.repeat(depth)}1${']'.repeat(depth)}) { nodes { id } } }`,
        `${'{'.repeat(depth)}${'}'.repeat(depth)}`,
      ]),
    };
  },
  manyAliases: ({ rng }) => {
    const count = rng.pick([16, 100, 1000]);
    const field = rng.pick([
      '__typename',
      'skills { code }',
      'me { id }',
      '__schema { queryType { name } }',
      'spaces(first: 100) { nodes { id } }',
    ]);
    return {
      query: `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`,
    };
  },
  manyTokens: ({ rng }) => {
    const count = rng.pick([2001, 5000, 100_000]);
    return {
      query: rng.pick([
        `{ ${'__typename '.repeat(count)}}`,
        `{ spaces(filter: { facilities: [${'WIFI, '.repeat(count)}] }) { nodes { id } } }`,
        // A comment is not a token: a large one must pass the token limit and still be fine.
        `# ${'x'.repeat(count * 5)}\n{ __typename }`,
      ]),
    };
  },
  manyDirectives: ({ rng }) => ({
    query: `{ __typename ${'@skip(if: false) '.repeat(rng.pick([51, 500]))}}`,
  }),
  variables: ({ rng }) =>
    rng.pick<Omit<Operation, 'label'>>([
      { query: '{ member(id: $undeclared) { id } }' },
      { query: 'query ($unused: ID) { __typename }', variables: '{"unused":"x"}' },
      { query: 'query ($id: Int!) { member(id: $id) { id } }', variables: '{"id":1}' },
      { query: 'query ($id: ID!, $id: ID!) { member(id: $id) { id } }', variables: '{"id":"x"}' },
      { query: 'query ($l: Int = "x") { spaces(first: $l) { nodes { id } } }' },
      {
        query: 'query ($f: SpaceFilter!) { spaces(filter: $f) { nodes { id } } }',
        variables: '{"f":"str"}',
      },
      {
        query: 'query ($f: SpaceFilter) { spaces(filter: $f) { nodes { id } } }',
        variables: '{"f":{"__proto__":{"text":"x"}}}',
      },
      {
        query: 'query ($id: ID!) { member(id: $id) { id } }',
        variables: '{"id":{"toString":"x"}}',
      },
      { query: 'query ($l: Int) { spaces(first: $l) { nodes { id } } }', variables: '{"l":1e400}' },
      { query: 'query ($l: Int) { spaces(first: $l) { nodes { id } } }', variables: '{"l":-0}' },
      { query: '{ __typename }', variables: '"not an object"' },
      { query: '{ __typename }', variables: '[1,2]' },
      {
        query: 'query ($x: [[[Int]]]) { __typename }',
        variables: `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      },
      {
        query: 'query ($f: SpaceFilter) { spaces(filter: $f) { nodes { id } } }',
        variables: `{"f":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
      },
    ]),
  introspection: ({ rng, schema }) => {
    const typeName = rng.pick(Object.keys(schema.getTypeMap()));
    return {
      query: rng.pick([
        '{ __schema { types { name kind fields(includeDeprecated: true) { name args { name type { name } } } } } }',
        `{ __type(name: ${JSON.stringify(typeName)}) { name fields { name type { name kind ofType { name kind ofType { name } } } } } }`,
        `{ __type(name: ${JSON.stringify(nastyString(rng))}) { name } }`,
        `{ __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`,
        '{ __schema { directives { name args { name defaultValue } } } }',
        'mutation { __typename __schema { queryType { name } } }',
      ]),
    };
  },
  emptyish: ({ rng }) => ({
    query: rng.pick([
      '',
      ' ',
      '\n\t',
      '# only a comment',
      '\ufeff{ __typename }',
      '{}',
      'query {}',
      'query',
      '{ }',
    ]),
  }),
  lexical: ({ rng }) => ({
    query: rng.pick([
      '{ spaces(first: 01) { nodes { id } } }',
      '{ spaces(filter: { text: "\\x" }) { nodes { id } } }',
      '{ spaces(filter: { text: "unterminated }) { nodes { id } } }',
      `{ spaces(filter: { text: "raw\u0000nul" }) { nodes { id } } }`,
      `{ spaces(filter: { text: "raw\ud800lone" }) { nodes { id } } }`,
      `{ spaces(filter: { text: "raw\u0007bell" }) { nodes { id } } }`,
      '{ spaces(filter: { text: "\\u{110000}" }) { nodes { id } } }',
      '{ spaces(filter: { text: """unterminated block }) { nodes { id } } }',
      '{ spaces(first: 1.) { nodes { id } } }',
      '{ spaces(first: 0x10) { nodes { id } } }',
      '{ spaces(first: 1_000) { nodes { id } } }',
      `{ __typename }${'\u0000'}`,
      '{ spaces(first: 9999999999999999999999999999999999999) { nodes { id } } }',
      '{ spaces { nodes { latitude(unit: 1e999) } } }',
    ]),
  }),
} satisfies Record<string, Broken>;

/**
 * A selection `depth` levels deep by a random walk through object fields (Query → spaces →
 * operator → spaces …), over the depth limit: it must be refused before any subgraph is called.
 */
function walk(context: DocumentContext, type: GraphQLNamedType, depth: number): string {
  if (depth === 0 || !(isObjectType(type) || isInterfaceType(type))) return '__typename';
  const composite = Object.values(type.getFields()).filter(
    (field) =>
      isCompositeType(getNamedType(field.type)) &&
      field.args.every((arg) => !isNonNullType(arg.type) || arg.name === 'id'),
  );
  if (composite.length === 0) return '__typename';
  const field = context.rng.pick(composite);
  const args = field.args.some((arg) => arg.name === 'id')
    ? `(id: ${toLiteral(str(context.rng.pick(context.pools.ids.space)))})`
    : '';
  return `${field.name}${args} { ${walk(context, getNamedType(field.type), depth - 1)} }`;
}

/** A query known to work on the demo data: the gateway must still answer it during and after. */
export const KNOWN_GOOD_QUERY =
  '{ spaces(first: 3) { nodes { id name municipality { code name } operator { name } upcomingEvents { nodes { title } } } } }';
