// The vocabulary travels in events and lives in databases as kebab-case values
// ('small-business'); Prisma and GraphQL spell the same value as an enum key ('SMALL_BUSINESS').
// These turn one into the other, so each list below is written once.

type ScreamingSnake<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Uppercase<Head>}_${ScreamingSnake<Tail>}`
  : Uppercase<S>;

/** The enum key of a kebab-case value: `EnumKey<'small-business'>` is `'SMALL_BUSINESS'`. */
export type EnumKey<V extends string> = ScreamingSnake<V>;

/** `'small-business'` → `'SMALL_BUSINESS'` (the Prisma and GraphQL enum key). */
export function enumKeyOf<V extends string>(value: V): EnumKey<V> {
  return value.toUpperCase().replaceAll('-', '_') as EnumKey<V>;
}

/** Every enum key of a vocabulary, in its order: for `z.enum` over Prisma values. */
export function enumKeys<const V extends string>(
  values: readonly [V, ...V[]],
): [EnumKey<V>, ...EnumKey<V>[]] {
  return values.map(enumKeyOf) as [EnumKey<V>, ...EnumKey<V>[]];
}

/**
 * The value of an enum key (`'SMALL_BUSINESS'` → `'small-business'`), checked against the
 * vocabulary: a key it does not list is a programming error, so it throws.
 */
export function valueOfEnumKey<V extends string>(values: readonly V[], key: EnumKey<V>): V {
  const value = values.find((candidate) => enumKeyOf(candidate) === key);
  if (value === undefined) throw new Error(`'${key}' is not one of ${values.join(', ')}`);
  return value;
}
