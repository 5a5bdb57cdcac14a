import { type EnumKey, enumKeyOf } from '@hub/contracts';

/**
 * The values of a GraphQL enum built from a vocabulary of @hub/contracts: each value's key as
 * Prisma spells it (`SMALL_BUSINESS`), described by its label — so the schema lists exactly
 * the values events and databases use, in the same words in every subgraph.
 */
export function graphqlEnumValues<const V extends string>(
  values: readonly V[],
  labels: Record<V, string>,
): { [K in V as EnumKey<K>]: { description: string } } {
  return Object.fromEntries(
    values.map((value) => [enumKeyOf(value), { description: labels[value] }]),
  ) as { [K in V as EnumKey<K>]: { description: string } };
}
