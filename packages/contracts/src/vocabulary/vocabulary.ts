import { z } from 'zod';

// A vocabulary is a closed list of values the services share. Events and databases spell a
// value in kebab-case ('small-business'); Prisma and GraphQL spell the same value as an enum
// key ('SMALL_BUSINESS'). Each vocabulary is written once, with the name people read for each
// value, and every spelling is derived from it.

type ScreamingSnake<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Uppercase<Head>}_${ScreamingSnake<Tail>}`
  : Uppercase<S>;

/** The enum key of a kebab-case value: `EnumKey<'small-business'>` is `'SMALL_BUSINESS'`. */
export type EnumKey<V extends string> = ScreamingSnake<V>;

export type Vocabulary<V extends string> = {
  /** The values as events and databases spell them, in order. */
  readonly values: readonly [V, ...V[]];
  /** 日本語 (English) name of each value, for the schema's descriptions. */
  readonly labels: Readonly<Record<V, string>>;
  /** A value as events carry it. */
  readonly schema: z.ZodEnum<{ [K in V]: K }>;
  /** A value as Prisma and GraphQL spell it (domain input). */
  readonly keySchema: z.ZodEnum<{ [K in EnumKey<V>]: K }>;
  /** `'small-business'` → `'SMALL_BUSINESS'`. */
  keyOf(value: V): EnumKey<V>;
  /** `'SMALL_BUSINESS'` → `'small-business'`; a key the vocabulary lacks is a bug: it throws. */
  valueOf(key: EnumKey<V>): V;
};

const keyOf = <V extends string>(value: V) =>
  value.toUpperCase().replaceAll('-', '_') as EnumKey<V>;

/** A vocabulary from its values' labels (in order): `{ freelancer: 'フリーランス (freelancer)', … }`. */
export function defineVocabulary<const Labels extends Record<string, string>>(
  labels: Labels,
): Vocabulary<keyof Labels & string> {
  type V = keyof Labels & string;
  const values = Object.keys(labels) as [V, ...V[]];
  const byKey = new Map(values.map((value) => [keyOf(value), value]));
  return {
    values,
    labels,
    schema: z.enum(values) as z.ZodEnum<{ [K in V]: K }>,
    keySchema: z.enum(values.map(keyOf) as [EnumKey<V>, ...EnumKey<V>[]]) as z.ZodEnum<{
      [K in EnumKey<V>]: K;
    }>,
    keyOf,
    valueOf(key) {
      const value = byKey.get(key);
      if (value === undefined) throw new Error(`'${key}' is not one of ${values.join(', ')}`);
      return value;
    },
  };
}
