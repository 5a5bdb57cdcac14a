import type { EnumKey, Vocabulary } from '@hub/contracts';

/**
 * The values of a GraphQL enum built from a vocabulary of @hub/contracts: each value keyed as
 * Prisma spells it (`SMALL_BUSINESS`) and described by its label — so the schema lists exactly
 * the values events and databases use, in the same words in every subgraph.
 */
export function graphqlEnumValues<V extends string>(
  vocabulary: Vocabulary<V>,
): { [K in V as EnumKey<K>]: { description: string } } {
  return Object.fromEntries(
    vocabulary.values.map((value) => [
      vocabulary.keyOf(value),
      { description: vocabulary.labels[value] },
    ]),
  ) as { [K in V as EnumKey<K>]: { description: string } };
}
