import { createSubgraphBuilder, type ServiceContext } from '@hub/service-kit';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { PrismaClient } from './generated/prisma/client.js';

export type SpacesContext = ServiceContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaTypes, SpacesContext>({
  dmmf: getDatamodel(),
  prismaOf: (context) => context.prisma,
});

/** The builder's schema types, for refs and field lists typed outside a builder call. */
export type SpacesTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T>
  ? T
  : never;

/** The `t` of an input type's fields: for field lists shared by several inputs. */
export type InputFields = PothosSchemaTypes.InputFieldBuilder<SpacesTypes, 'InputObject'>;
