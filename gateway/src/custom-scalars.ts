import { DateScalar, DateTimeScalar, JsonScalar } from '@hub/service-kit';
import { type GraphQLScalarType, type GraphQLSchema, isScalarType } from 'graphql';

/** The subgraphs' custom scalars, as the service kit defines them (one definition each). */
const KIT_SCALARS: readonly GraphQLScalarType[] = [DateScalar, DateTimeScalar, JsonScalar];

/**
 * Gives the gateway's API schema the kit's input coercion for the custom scalars. The supergraph
 * knows them only by name, so the gateway accepted any value and a subgraph refused it later:
 * a bad `Date` was an HTTP 200 carrying a subgraph's error, a bad `Int` an HTTP 400 from the
 * gateway. With the kit's `parseValue` and `parseLiteral`, the gateway's own variable coercion
 * and validation refuse both alike, before planning, and no subgraph is called. The values sent
 * on to the subgraphs are still the client's own (the gateway forwards the raw variables and
 * prints literals from the document), so the subgraph parses exactly what it would have.
 *
 * Apollo Gateway builds a fresh schema for every supergraph it loads and hands it to its
 * listeners before serving it (`onSchemaLoadOrUpdate`); this adjusts that schema in place.
 */
export function useKitScalarParsing(schema: GraphQLSchema): void {
  for (const kit of KIT_SCALARS) {
    const type = schema.getType(kit.name);
    if (!isScalarType(type)) continue;
    type.parseValue = kit.parseValue;
    type.parseLiteral = kit.parseLiteral;
  }
}
