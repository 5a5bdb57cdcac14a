import SchemaBuilder, {
  BasePlugin,
  decodeBase64,
  decodeCursorChunk,
  type FieldNullability,
  type FieldRequiredness,
  type InputFieldMap,
  type InputFieldMapping,
  type InputFieldsMapping,
  type InputType,
  mapInputFields,
  type PothosInputFieldConfig,
  type PothosOutputFieldConfig,
  PothosSchemaError,
  type PothosTypeConfig,
  PothosValidationError,
  resolveInputTypeConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import {
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  getNamedType,
  isObjectType,
} from 'graphql';
import { AppError } from './errors.js';
import { isUuid } from './input.js';

/**
 * Every String input that declares no `maxLength` gets this one. 500 characters is at most
 * 2,000 bytes of UTF-8, below the ~2,700 bytes a btree index entry may hold, so no string can
 * fail as "index row size exceeds maximum" in any indexed column; text meant to be longer
 * (descriptions, bios) declares its own limit where the field is defined.
 */
export const DEFAULT_MAX_STRING_LENGTH = 500;

/**
 * The most items one page of any connection returns (`first`/`last`): more is refused with
 * BAD_USER_INPUT naming the argument, never clamped.
 */
export const PAGE_SIZE_MAX = 100;

/** What the kit checks on one input value (an argument or an input object field). */
type InputRule =
  | { kind: 'string'; maxLength: number; isUuid: boolean }
  | { kind: 'number'; min: number | undefined; max: number | undefined; isPageSize?: boolean }
  /** A custom scalar (JSON, Date…): every string inside it is checked with the default limit. */
  | { kind: 'scalar' };

type InputLimitOptions = {
  /** Set by the plugin on a connection's first/last: its refusal explains paging. */
  isPageSize?: boolean;
  maxLength?: number;
  isUuid?: false;
  min?: number;
  max?: number;
};

// Merged declarations must repeat Pothos' type parameters, used or not.
// biome-ignore-start lint/correctness/noUnusedVariables: see above
declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      hubInput: HubInputPlugin<Types>;
    }
    interface InputFieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      Type extends InputType<Types> | [InputType<Types>] = InputType<Types> | [InputType<Types>],
      Req extends FieldRequiredness<Type> = FieldRequiredness<Type>,
    > {
      /** Most characters (code points) this String accepts; default DEFAULT_MAX_STRING_LENGTH. */
      maxLength?: number;
      /** `false` for the rare ID that is not a UUID (every id in the hub is one today). */
      isUuid?: false;
      /** Smallest Int/Float accepted. */
      min?: number;
      /** Largest Int/Float accepted. */
      max?: number;
    }
    interface FieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      ParentShape = unknown,
      Type extends TypeParam<Types> = TypeParam<Types>,
      Nullable extends FieldNullability<Type> = FieldNullability<Type>,
      Args extends InputFieldMap = InputFieldMap,
      ResolveShape = unknown,
      ResolveReturnShape = unknown,
    > {
      /**
       * Runs (and is awaited) when the kit refuses this field's input, before the refusal is
       * returned — for fields that must account for every attempt (sign-in throttling).
       */
      onInputRefused?: (context: Types['Context'], refusal: AppError) => Promise<void> | void;
    }
  }
}
// biome-ignore-end lint/correctness/noUnusedVariables: see above

const refuse = (field: string, message: string) =>
  new AppError('BAD_USER_INPUT', message, { field });

// A lone surrogate has no UTF-8 form: the driver would silently store U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL (PostgreSQL text refuses it: "invalid byte sequence") and lone surrogates. */
function hasUnstorableCharacters(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

/** Longer than `max` characters, counted in code points as PostgreSQL counts them. */
function isLongerThan(value: string, max: number): boolean {
  // A string of n UTF-16 units has at most n code points: most values need no counting.
  if (value.length <= max) return false;
  let count = 0;
  for (const _ of value) {
    count += 1;
    if (count > max) return true;
  }
  return false;
}

function checkString(value: string, rule: { maxLength: number; isUuid: boolean }, field: string) {
  if (hasUnstorableCharacters(value)) {
    return refuse(
      field,
      `使用できない文字 (NUL・不正な Unicode) が含まれています: ${field} (contains a NUL character or invalid Unicode)`,
    );
  }
  if (rule.isUuid && !isUuid(value)) {
    return refuse(field, `ID の形式が正しくありません: ${field} (not a UUID)`);
  }
  if (isLongerThan(value, rule.maxLength)) {
    return refuse(
      field,
      `長すぎます: ${field} は ${rule.maxLength} 文字まで (too long: at most ${rule.maxLength} characters)`,
    );
  }
  return null;
}

function checkNumber(
  value: number,
  rule: { min?: number; max?: number; isPageSize?: boolean },
  field: string,
) {
  if (
    (rule.min !== undefined && value < rule.min) ||
    (rule.max !== undefined && value > rule.max)
  ) {
    const range = rangeText(rule);
    if (rule.isPageSize) {
      return refuse(
        field,
        `1 ページは ${PAGE_SIZE_MAX} 件までです: ${field} は ${range.ja} — 続きは pageInfo.endCursor を after に渡して取得 (a page holds at most ${PAGE_SIZE_MAX} items: ${field} must be ${range.en}; page on with after: pageInfo.endCursor)`,
      );
    }
    return refuse(field, `範囲外の値です: ${field} は ${range.ja} (out of range: ${range.en})`);
  }
  return null;
}

const DEFAULT_STRING_RULE = { maxLength: DEFAULT_MAX_STRING_LENGTH, isUuid: false };

/**
 * Every string in a custom scalar's value (keys too: jsonb refuses NUL in either). Iterative,
 * so a deeply nested JSON variable cannot overflow the stack.
 */
function checkScalarValue(
  value: unknown,
  field: string,
  rule = DEFAULT_STRING_RULE,
): AppError | null {
  const pending: [unknown, string][] = [[value, field]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      const problem = checkString(current, rule, path);
      if (problem) return problem;
    } else if (Array.isArray(current)) {
      for (const [index, item] of current.entries()) pending.push([item, `${path}.${index}`]);
    } else if (current !== null && typeof current === 'object' && !(current instanceof Date)) {
      for (const [key, item] of Object.entries(current)) {
        const problem = checkString(key, rule, path);
        if (problem) return problem;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

function checkValue(value: unknown, rule: InputRule, field: string): AppError | null {
  if (rule.kind === 'string') {
    return typeof value === 'string' ? checkString(value, rule, field) : null;
  }
  if (rule.kind === 'number') {
    return typeof value === 'number' ? checkNumber(value, rule, field) : null;
  }
  return checkScalarValue(value, field);
}

type Mapping<Types extends SchemaTypes> = InputFieldsMapping<Types, InputRule>;

function checkFields<Types extends SchemaTypes>(
  values: Record<string, unknown>,
  mapping: Mapping<Types>,
  prefix: string,
): AppError | null {
  for (const [name, field] of mapping) {
    const value = values[name];
    if (value === null || value === undefined) continue;
    const problem = checkListed(value, field, field.listDepth, `${prefix}${name}`);
    if (problem) return problem;
  }
  return null;
}

function checkListed<Types extends SchemaTypes>(
  value: unknown,
  field: InputFieldMapping<Types, InputRule>,
  listDepth: number,
  path: string,
): AppError | null {
  if (listDepth > 0 && Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      if (item === null || item === undefined) continue;
      const problem = checkListed(item, field, listDepth - 1, `${path}.${index}`);
      if (problem) return problem;
    }
    return null;
  }
  if (field.kind === 'InputObject') {
    return field.fields.map
      ? checkFields(value as Record<string, unknown>, field.fields.map, `${path}.`)
      : null;
  }
  return checkValue(value, field.value, path);
}

const CONNECTION_ARGS = ['first', 'last', 'before', 'after'] as const;

function isConnectionField(args: Record<string, unknown>): boolean {
  return CONNECTION_ARGS.every((name) => name in args);
}

type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
};

/**
 * The combinations Pothos' cursor connections refuse with a plain error (an internal error to
 * the client), and cursors that would reach PostgreSQL malformed. Page sizes are ranged Int
 * arguments (see onOutputFieldConfig), checked with the other inputs.
 */
function checkConnectionArgs(args: ConnectionArgs): AppError | null {
  const { first, last, before, after } = args;
  if (first != null && last != null) {
    return refuse(
      'last',
      'first と last は同時に指定できません (first and last cannot be combined)',
    );
  }
  if (before != null && after != null) {
    return refuse(
      'before',
      'before と after は同時に指定できません (before and after cannot be combined)',
    );
  }
  if (before != null && first != null) {
    return refuse(
      'before',
      'before は last と組み合わせて指定してください (before pages backwards: use it with last)',
    );
  }
  if (after != null && last != null) {
    return refuse(
      'after',
      'after は first と組み合わせて指定してください (after pages forwards: use it with first)',
    );
  }
  if (after != null && !isHubCursor(after)) return invalidCursor('after');
  if (before != null && !isHubCursor(before)) return invalidCursor('before');
  return null;
}

const invalidCursor = (field: string) =>
  refuse(
    field,
    `カーソルが正しくありません: ${field} — pageInfo のカーソルを渡してください (invalid cursor: pass a cursor from pageInfo or an edge)`,
  );

/**
 * A cursor as Pothos' Prisma connections write it: base64 of `GPC:` and a tagged value, or a
 * tuple of them for a compound cursor (events page by `startsAt_id`). The hub's cursor columns
 * are UUID ids and timestamps, so a string part must be a UUID — anything else would reach
 * PostgreSQL as a malformed uuid. Whether the parts fit this connection's columns is left to
 * Pothos and Prisma, which refuse a mismatch before any SQL (see cursorMismatch).
 */
function isHubCursor(cursor: string): boolean {
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('GPC:')) return false;
    const value: unknown = decodeCursorChunk(decoded.slice('GPC:'.length));
    const parts = Array.isArray(value) ? value : [value];
    return parts.length > 0 && parts.every(isCursorPart);
  } catch {
    return false;
  }
}

function isCursorPart(part: unknown): boolean {
  if (typeof part === 'string') return isUuid(part);
  if (part instanceof Date) return !Number.isNaN(part.getTime());
  return typeof part === 'number' && Number.isSafeInteger(part);
}

/**
 * A well-formed cursor of the wrong shape for this connection (a compound cursor given to one
 * paging by id, or the reverse) fails in Pothos' cursor parser or in Prisma's argument
 * validation, both before any SQL runs: that is the client's cursor, not an internal error.
 */
function cursorMismatch(error: unknown, args: ConnectionArgs): AppError | null {
  const isCursorError =
    error instanceof PothosValidationError ||
    (error instanceof Error && error.name === 'PrismaClientValidationError');
  if (!isCursorError) return null;
  if (args.after != null) return invalidCursor('after');
  if (args.before != null) return invalidCursor('before');
  return null;
}

function rangeText(rule: { min?: number; max?: number }): { ja: string; en: string } {
  const { min, max } = rule;
  if (min !== undefined && max !== undefined) {
    return { ja: `${min}〜${max}`, en: `${min}–${max}` };
  }
  if (min !== undefined) return { ja: `${min} 以上`, en: `at least ${min}` };
  return { ja: `${max} 以下`, en: `at most ${max}` };
}

/** The limit, in the SDL description: partners read limits there (introspection shows no directives). */
function describeLimit(description: string | null | undefined, rule: InputRule) {
  let limit: string | null = null;
  if (rule.kind === 'string' && !rule.isUuid) {
    limit = `最大 ${rule.maxLength} 文字 (at most ${rule.maxLength} characters)`;
  } else if (rule.kind === 'number' && (rule.min !== undefined || rule.max !== undefined)) {
    const range = rangeText(rule);
    limit = `範囲 ${range.ja} (range ${range.en})`;
  }
  if (!limit) return description;
  return description ? `${description} — ${limit}` : limit;
}

/**
 * Marks the cursor arguments of a connection: opaque tokens handed back by the server, so a
 * length in their description would only be noise (they are checked all the same). A symbol
 * key, because other plugins pass copies of the config along and spreading keeps it.
 */
const CURSOR_ARG = Symbol('hubCursorArg');

type ResolveReference = (
  reference: Record<string, unknown>,
  context: unknown,
  info: GraphQLResolveInfo,
) => unknown;

/**
 * Refuses bad input at the schema boundary, before scope checks and resolvers run, so that no
 * malformed value reaches PostgreSQL (where it fails as an internal error): ID arguments and
 * input fields must be UUIDs, strings must be storable and within their `maxLength`, numbers
 * within their `min`/`max`, connection arguments must make sense. Registered first by
 * `createSubgraphBuilder`, so its resolver wrapper is the outermost.
 */
export class HubInputPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>) {
    const rule = this.ruleOf(fieldConfig);
    if (!rule || CURSOR_ARG in fieldConfig) return fieldConfig;
    return { ...fieldConfig, description: describeLimit(fieldConfig.description, rule) };
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>) {
    if (!isConnectionField(fieldConfig.args)) return fieldConfig;
    const { first, last, before, after } = fieldConfig.args as Record<
      (typeof CONNECTION_ARGS)[number],
      PothosInputFieldConfig<Types>
    >;
    // A page size beyond the cap is refused (naming it) rather than silently clamped by Pothos.
    const ranged = (arg: PothosInputFieldConfig<Types>) => ({
      ...arg,
      pothosOptions: { ...arg.pothosOptions, min: 0, max: PAGE_SIZE_MAX, isPageSize: true },
    });
    const cursor = (arg: PothosInputFieldConfig<Types>) => ({ ...arg, [CURSOR_ARG]: true });
    return {
      ...fieldConfig,
      args: {
        ...fieldConfig.args,
        first: ranged(first),
        last: ranged(last),
        before: cursor(before),
        after: cursor(after),
      },
    };
  }

  override onTypeConfig(typeConfig: PothosTypeConfig) {
    const subgraph = (typeConfig.extensions?.apollo as { subgraph?: Record<string, unknown> })
      ?.subgraph;
    if (typeConfig.kind !== 'Object' || !subgraph || !('resolveReference' in subgraph)) {
      return typeConfig;
    }
    const resolveReference = subgraph.resolveReference as ResolveReference | undefined;
    // A key that cannot be an id names no entity: null, as for an unknown id, without a query.
    const checked: ResolveReference = (reference, context, info) =>
      isUsableReference(reference, info)
        ? resolveReference
          ? resolveReference(reference, context, info)
          : reference
        : null;
    return {
      ...typeConfig,
      extensions: {
        ...typeConfig.extensions,
        apollo: {
          ...(typeConfig.extensions?.apollo as object),
          subgraph: { ...subgraph, resolveReference: checked },
        },
      },
    };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const mapping = mapInputFields(fieldConfig.args, this.buildCache, (config) =>
      this.ruleOf(config),
    );
    const isConnection = isConnectionField(fieldConfig.args);
    if (!mapping && !isConnection) return resolver;
    const onInputRefused = (fieldConfig.pothosOptions as { onInputRefused?: OnInputRefused })
      .onInputRefused;
    // Only a request that pages from a cursor can fail on its shape (see cursorMismatch).
    const resolveChecked: typeof resolver = isConnection
      ? (parent, args, context, info) => {
          const page = args as ConnectionArgs;
          if (page.after == null && page.before == null) {
            return resolver(parent, args, context, info);
          }
          const rethrow = (error: unknown) => {
            throw cursorMismatch(error, page) ?? error;
          };
          try {
            return Promise.resolve(resolver(parent, args, context, info)).catch(rethrow);
          } catch (error) {
            return rethrow(error);
          }
        }
      : resolver;
    return (parent, args, context, info) => {
      const values = args as Record<string, unknown>;
      const refusal =
        (mapping && checkFields(values, mapping, '')) ??
        (isConnection ? checkConnectionArgs(values) : null);
      if (!refusal) return resolveChecked(parent, args, context, info);
      if (!onInputRefused) throw refusal;
      return Promise.resolve(onInputRefused(context, refusal)).then(() => {
        throw refusal;
      });
    };
  }

  /** The rule of one argument or input field, or null when there is nothing to check. */
  private ruleOf(config: PothosInputFieldConfig<Types>): InputRule | null {
    const typeConfig = resolveInputTypeConfig(config.type, this.buildCache);
    const options = config.pothosOptions as InputLimitOptions;
    const where = `${config.parentType}.${config.parentField ? `${config.parentField}(${config.name})` : config.name}`;
    const misplaced = (option: string) =>
      new PothosSchemaError(`${where}: ${option} does not apply to ${typeConfig.name}`);
    if (typeConfig.kind !== 'Scalar') {
      if (options.maxLength !== undefined) throw misplaced('maxLength');
      if (options.min !== undefined || options.max !== undefined) throw misplaced('min/max');
      return null;
    }
    const name = typeConfig.name;
    if (options.isUuid !== undefined && name !== 'ID') throw misplaced('isUuid');
    if (name === 'String' || name === 'ID') {
      if (options.min !== undefined || options.max !== undefined) throw misplaced('min/max');
      const maxLength = options.maxLength ?? DEFAULT_MAX_STRING_LENGTH;
      if (!Number.isInteger(maxLength) || maxLength < 1) {
        throw new PothosSchemaError(`${where}: maxLength must be a positive integer`);
      }
      return { kind: 'string', maxLength, isUuid: name === 'ID' && options.isUuid !== false };
    }
    if (options.maxLength !== undefined) throw misplaced('maxLength');
    if (name === 'Int' || name === 'Float') {
      return options.min === undefined && options.max === undefined
        ? null
        : { kind: 'number', min: options.min, max: options.max, isPageSize: options.isPageSize };
    }
    if (options.min !== undefined || options.max !== undefined) throw misplaced('min/max');
    return name === 'Boolean' ? null : { kind: 'scalar' };
  }
}

type OnInputRefused = (context: unknown, refusal: AppError) => Promise<void> | void;

// Other fields of a representation (keys like a municipality code, @requires fields) are the
// owner's stored values: only what PostgreSQL cannot take as a parameter is refused, not length.
const STORABLE_ONLY = { maxLength: Number.POSITIVE_INFINITY, isUuid: false };

/** Key fields typed ID must be UUIDs; every string in a representation must be storable. */
function isUsableReference(reference: Record<string, unknown>, info: GraphQLResolveInfo): boolean {
  const type = info.schema.getType(String(reference.__typename));
  const fields = type && isObjectType(type) ? type.getFields() : {};
  for (const [key, value] of Object.entries(reference)) {
    if (key === '__typename') continue;
    const field = fields[key];
    if (field && getNamedType(field.type).name === 'ID') {
      if (typeof value !== 'string' || !isUuid(value)) return false;
    } else if (checkScalarValue(value, key, STORABLE_ONLY)) {
      return false;
    }
  }
  return true;
}

/** The plugin's name, as builders list it in `plugins`. */
export const HUB_INPUT_PLUGIN = 'hubInput';

SchemaBuilder.registerPlugin(HUB_INPUT_PLUGIN, HubInputPlugin);
