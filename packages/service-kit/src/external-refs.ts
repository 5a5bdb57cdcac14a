import type { ObjectRef } from '@pothos/core';
import type { ExtendedEntityFieldsShape } from '@pothos/plugin-federation';
import type { createSubgraphBuilder } from './builder.js';
import type { HubContext } from './context.js';

/** A subgraph's Pothos builder, as `createSubgraphBuilder` makes it. */
export type SubgraphBuilder<PrismaTypes extends {}, Context extends HubContext> = ReturnType<
  typeof createSubgraphBuilder<PrismaTypes, Context>
>;

type TypesOf<Builder> = Builder extends PothosSchemaTypes.SchemaBuilder<infer Types>
  ? Types
  : never;

/**
 * `Organization`, owned by the members service: other subgraphs know only its id, return
 * `{ id }` stubs for the gateway to resolve, and add their own `fields` — nullable ones, so the
 * organisation still arrives when the adding subgraph is down.
 */
export function organizationRef<PrismaTypes extends {}, Context extends HubContext>(
  builder: SubgraphBuilder<PrismaTypes, Context>,
  options: {
    fields?: ExtendedEntityFieldsShape<
      TypesOf<SubgraphBuilder<PrismaTypes, Context>>,
      { id: string }
    >;
  } = {},
): ObjectRef<TypesOf<SubgraphBuilder<PrismaTypes, Context>>, { id: string }> {
  return builder
    .externalRef('Organization', builder.selection<{ id: string }>('id'))
    .implement({ externalFields: (t) => ({ id: t.id() }), fields: options.fields });
}
