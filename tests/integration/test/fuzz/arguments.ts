import fc from 'fast-check';
import {
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import type { Rng } from './random.js';

/**
 * An argument value, kept abstract so the same value can be written inline as a GraphQL literal
 * or sent as a variable in the JSON body (the two take different paths through the gateway and
 * the subgraphs: literals are coerced with `parseLiteral`, variables with `parseValue`).
 */
export type Value =
  | { kind: 'null' }
  | { kind: 'string'; value: string; block?: boolean }
  /** Written as it is in both forms, so beyond-float64 and beyond-int32 numbers stay exact. */
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'enum'; name: string }
  | { kind: 'list'; items: Value[] }
  | { kind: 'object'; fields: [string, Value][] };

export const NULL: Value = { kind: 'null' };
export const str = (value: string): Value => ({ kind: 'string', value });
export const num = (text: string | number): Value => ({ kind: 'number', text: String(text) });

/** The value as a GraphQL literal (inline in the document). */
export function toLiteral(value: Value): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'string':
      return value.block && !/"""|\\/.test(value.value)
        ? `"""${value.value}"""`
        : // JSON's escapes are GraphQL's (lone surrogates come out as \ud800, which the GraphQL
          // lexer must refuse cleanly).
          JSON.stringify(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'enum':
      return value.name;
    case 'list':
      return `[${value.items.map(toLiteral).join(', ')}]`;
    case 'object':
      return `{${value.fields.map(([name, field]) => `${name}: ${toLiteral(field)}`).join(', ')}}`;
  }
}

/** The value as JSON text (a variable), written by hand so numbers keep their exact text. */
export function toJson(value: Value): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'string':
      return JSON.stringify(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'enum':
      return JSON.stringify(value.name);
    case 'list':
      return `[${value.items.map(toJson).join(',')}]`;
    case 'object':
      return `{${value.fields.map(([name, field]) => `${JSON.stringify(name)}:${toJson(field)}`).join(',')}}`;
  }
}

/** Known-good values from the running hub (demo data), so authorised paths find real rows. */
export type Pools = {
  ids: Record<IdKind, string[]>;
  /** Members that may be erased: never the fuzz's own callers, who must stay signed in. */
  erasableMemberIds: string[];
  /** The fuzz's own member and admin: never handed to an erasing mutation. */
  callerIds: string[];
  municipalityCodes: string[];
  prefectures: string[];
  skillCodes: string[];
  noticeVersions: string[];
  emails: string[];
  tags: string[];
};

export type IdKind = 'member' | 'organization' | 'space' | 'event' | 'program' | 'workOrder';

// ---------------------------------------------------------------------------------------------
// Hostile strings

const HUGE_UNITS = ['a', 'あ', '🦄', 'e\u0301', 'ש', '\u0000', '%', "'", '\\', '𠮷', 'x\u200d'];

/** 10–100 KB of one repeated unit: over-long input must be refused, not crash a column. */
function hugeString(rng: Rng): string {
  const unit = rng.pick(HUGE_UNITS);
  const bytes = rng.int(10_000, 100_000);
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

// Each is a known troublemaker for some layer: Postgres text (NUL), UTF-8 encoders (lone
// surrogates), LIKE patterns (%, _), SQL built by hand, regexes, templates, paths.
const NASTY_STRINGS = [
  '',
  ' ',
  '\u00a0',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(8),
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  '\ufeff',
  '\u202egnp.exe',
  'مرحبا بالعالم',
  'שָׁלוֹם',
  'Z̷̢͓̈́a̵̗̓l̸̡̈g̶̱͝o̴̖͠',
  '👩‍👩‍👧‍👦🇯🇵🏳️‍🌈',
  '𠮷野家',
  'ｺﾜｰｷﾝｸﾞ',
  '\u0001\u0002\u001f\u007f',
  '\r\n\t',
  "' OR '1'='1",
  "'; DROP TABLE member; --",
  '1 UNION SELECT password_hash FROM account --',
  '%',
  '_',
  '%_%\\',
  '\\',
  '"',
  '.*(a+)+$',
  // A template placeholder, literally (server-side template injection).
  `$${'{'}7*7}{{7*7}}`,
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%s%n%x',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9'.repeat(400),
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

const SQL_IDS = ["' OR 1=1 --", "1'; SELECT pg_sleep(10); --", '1 OR 1=1', '(SELECT 1)'];

/** A string from the troublemakers, random Unicode or ASCII, or a huge one. */
export function nastyString(rng: Rng): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(NASTY_STRINGS)],
    [2, () => rng.draw(fc.string({ unit: 'binary', maxLength: 40 }))],
    [2, () => rng.draw(fc.string({ unit: 'grapheme', maxLength: 40 }))],
    [1, () => rng.draw(fc.string({ unit: 'binary-ascii', maxLength: 40 }))],
    [1, () => rng.draw(fc.string({ maxLength: 40 })) + rng.pick(NASTY_STRINGS)],
    [2, () => hugeString(rng)],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Plausible strings, chosen by the argument's name, so validation passes and deeper code runs.

const WORDS = [
  'コワーキング',
  'テレワーク',
  'Jelly',
  '札幌',
  '美唄',
  'workshop',
  'もくもく会',
  'IT',
];

function plainText(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => `${rng.pick(WORDS)} ${rng.pick(WORDS)}`],
    [2, () => rng.draw(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }))],
    [1, () => rng.draw(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }))],
  ])();
}

function dateText(rng: Rng): string {
  return rng.weighted<() => string>([
    [5, () => `20${rng.int(20, 30)}-0${rng.int(1, 9)}-${rng.int(10, 28)}`],
    [
      1,
      () =>
        rng.pick([
          '2026-02-30',
          '2026-13-01',
          '0000-00-00',
          '9999-12-31',
          '2026-1-1',
          '+275760-09-13',
          '-000001-01-01',
          '20260401',
          'yesterday',
          '2026-04-01T00:00:00Z',
        ]),
    ],
  ])();
}

function dateTimeText(rng: Rng): string {
  return rng.weighted<() => string>([
    [
      5,
      () =>
        `20${rng.int(20, 30)}-0${rng.int(1, 9)}-${rng.int(10, 28)}T${rng.int(10, 23)}:${rng.int(10, 59)}:00${rng.pick(['Z', '+09:00', '.123Z', '-05:30'])}`,
    ],
    [
      1,
      () =>
        rng.pick([
          '2026-04-01',
          '2026-04-01T25:00:00Z',
          '2026-04-01T10:00:00',
          '1970-01-01T00:00:00Z',
          '+275760-09-13T00:00:00Z',
          '0001-01-01T00:00:00Z',
          'now',
          '1e15',
        ]),
    ],
  ])();
}

const RRULES = [
  'FREQ=MONTHLY;BYDAY=3TH',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
  'FREQ=DAILY;COUNT=1000000',
  'FREQ=SECONDLY',
  'FREQ=MINUTELY;COUNT=5',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=DAILY;UNTIL=20000101T000000Z',
  'FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR',
  'FREQ=WEEKLY;INTERVAL=0',
  'FREQ=WEEKLY;INTERVAL=-1',
  'FREQ=DAILY;DTSTART=20260101T000000Z',
  'FREQ=DAILY\nFREQ=WEEKLY',
  'FREQ=',
  'BYDAY=MO',
];

function plausibleString(qualifiedName: string, rng: Rng, pools: Pools): string {
  const lower = qualifiedName.toLowerCase();
  if (lower.includes('skill')) return rng.pick([...pools.skillCodes, 'no-such-skill']);
  if (lower.includes('email')) {
    return rng.weighted<() => string>([
      [2, () => rng.pick(pools.emails)],
      [3, () => `fuzz-${rng.int(0, 1_000_000)}@example.jp`],
      [1, () => rng.pick(['a@b', '@', 'no-at-sign', 'ＡＢＣ@example.jp', 'a@b@c'])],
    ])();
  }
  if (lower.includes('password')) {
    return rng.pick(['coworking-demo-2026', 'Kumo-no-ue-2026', 'short', 'a'.repeat(200)]);
  }
  if (lower.includes('municipalitycode') || lower.includes('municipality')) {
    return rng.weighted<() => string>([
      [4, () => rng.pick(pools.municipalityCodes)],
      [1, () => rng.pick(['000000', '01215', '0121570', '01215X', '０１２１５７', '012158'])],
    ])();
  }
  if (lower.includes('prefecture')) return rng.pick([...pools.prefectures, '北海道', 'Hokkaido']);
  if (lower.includes('noticeversion')) return rng.pick([...pools.noticeVersions, '0', 'v999']);
  // Never the real confirmation: the demo member the fuzz signs in as must not erase itself
  // (erasure itself is exercised by the admin's eraseMember on other demo members).
  if (lower.includes('confirmation')) return rng.pick(['はい', 'erase', 'ERASED', '退会', '']);
  if (lower.includes('corporatenumber')) {
    return rng.pick(['1234567890123', '7430001036010', '123', 'abcdefghijklm']);
  }
  if (lower.includes('url')) {
    return rng.pick([
      'https://example.jp/',
      'javascript:alert(1)',
      'http://127.0.0.1:22/',
      'file:///etc/passwd',
      'not a url',
    ]);
  }
  if (lower.includes('phone')) return rng.pick(['011-123-4567', '+81 11 123 4567', 'call me']);
  if (lower.includes('postalcode')) return rng.pick(['060-0001', '0600001', '〒060', '1234567890']);
  if (lower.includes('recurrence')) return rng.pick(RRULES);
  const name = lower.split('.').at(-1)!;
  if (name === 'tag' || name === 'tags') return rng.pick([...pools.tags, 'jelly', 'Jelly']);
  if (lower.includes('refreshtoken') || lower.includes('invitationcode')) {
    return rng.pick(['', 'rt_0000', 'x'.repeat(64), rng.draw(fc.base64String({ maxLength: 60 }))]);
  }
  if (name === 'after' || name === 'before') return cursorText(rng);
  return plainText(rng);
}

/** Cursors are opaque base64 of something: a decodable but wrong one is the interesting case. */
function cursorText(rng: Rng): string {
  return rng.pick([
    Buffer.from('arrayconnection:5').toString('base64'),
    Buffer.from('arrayconnection:-1').toString('base64'),
    Buffer.from('arrayconnection:99999999999999999999').toString('base64'),
    Buffer.from('{"id":"x"}').toString('base64'),
    Buffer.from(`cursor:${'\u0000'}`).toString('base64'),
    Buffer.from("' OR 1=1 --").toString('base64'),
    'not-base64!!',
    '',
    '====',
    Buffer.from('00000000-0000-0000-0000-000000000000').toString('base64'),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Ids

/** Which pool an ID argument draws from, by its name and the field it belongs to. */
function idKindFor(qualifiedName: string, fieldName: string): IdKind | null {
  const argName = qualifiedName.split('.').at(-1)!;
  if (/organization|operator|provider|client|receivingCentre|organizer/i.test(argName)) {
    return 'organization';
  }
  if (/member/i.test(argName)) return 'member';
  if (/space/i.test(argName)) return 'space';
  if (argName !== 'id') return null;
  if (/space/i.test(fieldName)) return 'space';
  if (/event/i.test(fieldName)) return 'event';
  if (/program/i.test(fieldName)) return 'program';
  if (/workOrder/i.test(fieldName)) return 'workOrder';
  if (/organization/i.test(fieldName)) return 'organization';
  if (/member/i.test(fieldName)) return 'member';
  return null;
}

const BAD_IDS = [
  '',
  'not-a-uuid',
  '1',
  '-1',
  '0',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '6326D848-BB24-53C1-89FF-C4775DF322CE',
  '{6326d848-bb24-53c1-89ff-c4775df322ce}',
  '6326d848bb2453c189ffc4775df322ce',
  '6326d848-bb24-53c1-89ff-c4775df322ce\u0000',
  ' 6326d848-bb24-53c1-89ff-c4775df322ce',
  '6326d848-bb24-53c1-89ff-c4775df322c',
  'ゼロ',
  '🦄',
  ...SQL_IDS,
];

function knownIds(kind: IdKind | null, fieldName: string, pools: Pools): string[] {
  if (kind === 'member' && /^erase/.test(fieldName)) return pools.erasableMemberIds;
  return kind ? pools.ids[kind] : [];
}

/** An id of the right kind from the demo data (a fresh UUID when none is known). */
function knownId(kind: IdKind | null, fieldName: string, rng: Rng, pools: Pools): Value {
  const known = knownIds(kind, fieldName, pools);
  return str(known.length > 0 ? rng.pick(known) : rng.draw(fc.uuid()));
}

function anyKnownId(fieldName: string, pools: Pools): string[] {
  const all = Object.values(pools.ids).flat();
  return /^erase/.test(fieldName) ? all.filter((id) => !pools.callerIds.includes(id)) : all;
}

function idValue(kind: IdKind | null, fieldName: string, rng: Rng, pools: Pools): Value {
  const known = knownIds(kind, fieldName, pools);
  return rng.weighted<() => Value>([
    [known.length > 0 ? 5 : 0, () => str(rng.pick(known))],
    [1, () => str(rng.draw(fc.uuid()))],
    // Any known id, of another kind: a valid UUID that is not this kind's.
    [1, () => str(rng.pick(anyKnownId(fieldName, pools)))],
    [3, () => str(rng.pick(BAD_IDS))],
    [1, () => str(nastyString(rng))],
    // ID accepts Int literals too.
    [1, () => num(rng.pick(['0', '-1', '42', '2147483648', '99999999999999999999999']))],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Numbers

const INT_EDGES = [
  '0',
  '-0',
  '-1',
  '1',
  '2147483647',
  '-2147483648',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '-9007199254740993',
  '100000000000000000000',
  '1.5',
  '1e3',
  '-1e-7',
  '1e309',
];

function intValue(name: string, rng: Rng): Value {
  return rng.weighted<() => Value>([
    // Page sizes and limits are small numbers; the boundary ones are the interesting ones.
    [5, () => num(rng.draw(fc.integer({ min: -5, max: 250 })))],
    [3, () => num(rng.pick(INT_EDGES))],
    [1, () => num(rng.draw(fc.integer()))],
    [1, () => str(rng.pick(['NaN', 'Infinity', '12', '', '0x10', '1e3']))],
    [/level$/i.test(name) ? 3 : 0, () => num(rng.int(-1, 6))],
  ])();
}

function floatValue(rng: Rng): Value {
  return rng.weighted<() => Value>([
    [3, () => num(rng.draw(fc.double({ min: -200, max: 200, noNaN: true })).toString())],
    // Beyond float64 (1e309 is Infinity once parsed): a literal no JSON variable can carry.
    [2, () => num(rng.pick(['1e309', '-1e309', '1e400']))],
    [
      2,
      () =>
        num(
          rng.pick([
            '0',
            '-0.0',
            '1e308',
            '-1e308',
            '1e309',
            '-1e309',
            '5e-324',
            '1.7976931348623157e308',
          ]),
        ),
    ],
    [1, () => str(rng.pick(['NaN', 'Infinity', '-Infinity', '43.0', '']))],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Values of a type

export type ValueContext = {
  rng: Rng;
  pools: Pools;
  /** The root field being called (picks id pools, protects the fuzz's own accounts). */
  fieldName: string;
  /**
   * Hostile values everywhere, or well-formed ones with a rare hostile leaf: the latter get
   * past validation into resolvers and SQL, where a single bad value does the most damage.
   */
  isHostile: boolean;
};

/** A value of another kind than the type wants: a string for an Int, an object for a scalar… */
function wrongKindValue(type: GraphQLInputType, rng: Rng): Value {
  const named = getNamedType(type);
  const choices: Value[] = [
    num(rng.pick(['1', '-1.5', '2147483648'])),
    str(rng.pick(['x', '1', 'true', 'ENUM_VALUE'])),
    { kind: 'boolean', value: rng.chance(0.5) },
    { kind: 'enum', name: rng.pick(['RED', 'null', 'true', 'Query']) },
    { kind: 'list', items: [num(1), str('a')] },
    {
      kind: 'object',
      fields: [
        ['a', num(1)],
        ['__proto__', { kind: 'object', fields: [] }],
      ],
    },
  ];
  const unlike = choices.filter((value) => {
    if (isListType(type) || (isNonNullType(type) && isListType(type.ofType))) {
      return value.kind !== 'list';
    }
    if (isInputObjectType(named)) return value.kind !== 'object';
    if (isEnumType(named)) return value.kind !== 'enum';
    return true;
  });
  return rng.pick(unlike);
}

/**
 * A value for an argument or input field of `type`: mostly well-typed (plausible or hostile),
 * sometimes of the wrong kind or null where it is required, so coercion errors are met too.
 */
export function argumentValue(
  type: GraphQLInputType,
  name: string,
  context: ValueContext,
  depth = 0,
): Value {
  const { rng } = context;
  const hostility = context.isHostile ? 1 : 0;
  if (isNonNullType(type)) {
    // Null where it is required: validation (inline) or coercion (variables) must refuse it.
    if (rng.chance(0.03 * hostility)) return NULL;
    return presentValue(type.ofType, name, context, depth);
  }
  if (rng.chance(0.06)) return NULL;
  return presentValue(type, name, context, depth);
}

/** A value other than null for a nullable type (itself, or the type inside a non-null one). */
function presentValue(
  type: GraphQLInputType,
  name: string,
  context: ValueContext,
  depth: number,
): Value {
  const { rng } = context;
  const hostility = context.isHostile ? 1 : 0;
  if (rng.chance(0.04 * hostility)) return wrongKindValue(type, rng);
  if (isListType(type)) {
    const length = rng.weighted<() => number>([
      [2, () => 0],
      [12, () => rng.int(1, 3)],
      [2, () => rng.int(4, 30)],
      // Thousands of items: bulk inputs must be bounded by the service, not the database.
      [depth === 0 ? hostility : 0, () => rng.int(500, 3000)],
    ])();
    // A single value where a list is expected is legal input coercion.
    if (length === 1 && rng.chance(0.2))
      return argumentValue(type.ofType, name, context, depth + 1);
    const items: Value[] = [];
    for (let index = 0; index < length; index += 1) {
      items.push(argumentValue(type.ofType, name, context, depth + 1));
    }
    return { kind: 'list', items };
  }
  if (isInputObjectType(type)) {
    const fields: [string, Value][] = [];
    for (const field of Object.values(type.getFields())) {
      const isRequired = isNonNullType(field.type) && field.defaultValue === undefined;
      const isIncluded = isRequired
        ? !rng.chance(0.03 * hostility)
        : rng.chance(depth > 2 ? 0.1 : 0.5);
      if (isIncluded) {
        // Qualified, so `SkillLevelInput.code` is told from `municipality(code:)`.
        const qualified = `${type.name}.${field.name}`;
        fields.push([field.name, argumentValue(field.type, qualified, context, depth + 1)]);
      }
    }
    if (rng.chance(0.03 * hostility)) {
      fields.push([rng.pick(['unknownField', 'id', '__typename']), num(1)]);
    }
    // Shuffle sometimes: field order must not matter.
    if (rng.chance(0.2)) fields.reverse();
    return { kind: 'object', fields };
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => value.name);
    return rng.weighted<() => Value>([
      [12, () => ({ kind: 'enum', name: rng.pick(values) })],
      // A string where an enum is expected: invalid inline, the right form as a variable.
      [2 * hostility, () => str(rng.pick(values))],
      [hostility, () => ({ kind: 'enum', name: rng.pick(values).toLowerCase() })],
      [hostility, () => ({ kind: 'enum', name: 'NOT_A_VALUE' })],
    ])();
  }
  if (isScalarType(type)) return scalarValue(type.name, name, context);
  throw new Error(`unexpected input type ${String(type)}`);
}

function scalarValue(scalar: string, name: string, context: ValueContext): Value {
  const { rng, pools, isHostile } = context;
  // Even a well-formed input carries a hostile leaf now and then.
  const hostile = isHostile ? 0.3 : 0.06;
  switch (scalar) {
    case 'ID':
      return isHostile || rng.chance(hostile)
        ? idValue(idKindFor(name, context.fieldName), context.fieldName, rng, pools)
        : knownId(idKindFor(name, context.fieldName), context.fieldName, rng, pools);
    case 'Int':
      if (isHostile || rng.chance(hostile)) return intValue(name, rng);
      return num(/level$/i.test(name) ? rng.int(1, 5) : rng.int(0, 50));
    case 'Float':
      return isHostile || rng.chance(hostile) ? floatValue(rng) : num(rng.int(-90, 90) + 0.5);
    case 'Boolean':
      return rng.chance(1 - hostile / 4)
        ? { kind: 'boolean', value: rng.chance(0.5) }
        : str('true');
    case 'Date':
      return rng.chance(1 - hostile) ? str(dateText(rng)) : str(nastyString(rng));
    case 'DateTime':
      return rng.chance(1 - hostile) ? str(dateTimeText(rng)) : wrongOrNasty(rng);
    case 'JSON':
      return jsonValue(rng, 0);
    default:
      // String and any custom scalar added later: plausible most of the time, hostile otherwise.
      if (rng.chance(hostile)) {
        const value = nastyString(rng);
        return { kind: 'string', value, block: rng.chance(0.1) };
      }
      return str(plausibleString(name, rng, pools));
  }
}

function wrongOrNasty(rng: Rng): Value {
  return rng.chance(0.5) ? str(nastyString(rng)) : num(rng.pick(['0', '-1', '1e20', '1.5']));
}

function jsonValue(rng: Rng, depth: number): Value {
  return rng.weighted<() => Value>([
    [2, () => str(nastyString(rng))],
    [2, () => num(rng.pick(INT_EDGES))],
    [1, () => NULL],
    [depth < 3 ? 2 : 0, () => ({ kind: 'list', items: [jsonValue(rng, depth + 1)] })],
    [
      depth < 3 ? 2 : 0,
      () => ({
        kind: 'object',
        fields: [
          [rng.pick(['a', '__proto__', 'constructor', '$where']), jsonValue(rng, depth + 1)],
        ],
      }),
    ],
  ])();
}
