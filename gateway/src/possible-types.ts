import { fileURLToPath } from 'node:url';
import { type GraphQLSchema, isAbstractType } from 'graphql';
import { publicSchemaOf } from './public-schema.js';

/**
 * Apollo Client's `possibleTypes` for the public schema, committed beside it so front ends can
 * import it: `new InMemoryCache({ possibleTypes })`. Without it the cache cannot match
 * fragments on an interface or union (`... on Error`, `... on PublishEventSuccess` inside a
 * payload) against the concrete `__typename` it receives.
 */
export const POSSIBLE_TYPES_PATH = fileURLToPath(
  new URL('../possible-types.json', import.meta.url),
);

/** Every interface and union with the object types that can stand for it, both sorted. */
export function possibleTypesOf(schema: GraphQLSchema): Record<string, string[]> {
  const abstract = Object.values(schema.getTypeMap())
    .filter(isAbstractType)
    .filter((type) => !type.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
  return Object.fromEntries(
    abstract.map((type) => [
      type.name,
      schema
        .getPossibleTypes(type)
        .map((member) => member.name)
        .sort(),
    ]),
  );
}

/** The committed file's text: generated from the supergraph's public schema, stable bytes. */
export function printPossibleTypes(supergraphSdl: string): string {
  return `${JSON.stringify(possibleTypesOf(publicSchemaOf(supergraphSdl)), null, 2)}\n`;
}
