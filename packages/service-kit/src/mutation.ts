import {
  type InputObjectRef,
  type MaybePromise,
  type ObjectRef,
  PothosSchemaError,
  type SchemaTypes,
} from '@pothos/core';
import type { AuthScopeMap } from '@pothos/plugin-scope-auth';
import type { HubContext } from './context.js';
import type { AppError } from './errors.js';
import { TYPED_ERROR_CLASSES, type TypedErrorClass, typedErrorOf } from './typed-errors.js';

export type MutationDefinition<Types extends SchemaTypes, Input, Result> = {
  /** What it does and who may do it, `日本語 (English)`. */
  description: string;
  /**
   * `VerbNounInput`, the one argument `input: VerbNounInput!`. Left out only by a mutation that
   * has nothing to be told (`signOutEverywhere`): it then takes no argument and `resolve` gets
   * `undefined`.
   */
  input?: { type: InputObjectRef<Types, Input>; description: string };
  /** The entity `VerbNounSuccess` carries, e.g. `{ field: 'space', type: SpaceRef }`. */
  success: { field: string; type: ObjectRef<Types, Result>; description: string };
  /**
   * The typed error families this mutation can return; they are its payload's other members.
   * An AppError of another family stays in `errors[]` (and is logged as undeclared). Empty for a
   * mutation whose domain raises none (`signOutEverywhere`, `rotateSigningKeys`): its payload is
   * still a union, so a family can be added later without breaking clients.
   */
  errors: readonly TypedErrorClass[];
  /** Who may call it, decided before `resolve` runs; a refusal stays in `errors[]`. */
  authScopes?: (
    input: Input,
    context: Types['Context'],
  ) => MaybePromise<AuthScopeMap<Types> | boolean>;
  /** Runs when the kit refuses the input (see the input plugin), e.g. to count a failed attempt. */
  onInputRefused?: (context: Types['Context'], refusal: AppError) => Promise<void> | void;
  /**
   * Does it. Throw AppError for a domain failure — from inside the transaction, so it rolls back
   * and nothing is half-written; never return an error.
   */
  resolve: (input: Input, context: Types['Context']) => Promise<Result>;
};

const capitalize = (name: string) => `${name.slice(0, 1).toUpperCase()}${name.slice(1)}`;

/**
 * Defines `verbNoun(input: VerbNounInput!): VerbNounPayload!`, where `VerbNounPayload` is the
 * union of `VerbNounSuccess { <success.field>: Entity! }` and the declared typed errors. An
 * AppError thrown by `resolve` whose family is declared becomes that typed error (its field
 * prefixed with `input.`); anything else — authentication, authorization, limits, input the kit
 * refused, unavailability, bugs — stays in `errors[]`.
 */
export function defineMutation<Types extends SchemaTypes, Input, Result>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  name: string,
  definition: MutationDefinition<Types, Input, Result>,
): void {
  const typeName = capitalize(name);
  const { input, authScopes, onInputRefused, errors } = definition;
  const inputName = input && (input.type as { name?: string }).name;
  if (input && inputName !== `${typeName}Input`) {
    throw new PothosSchemaError(
      `Mutation.${name}: its input type must be named ${typeName}Input (is ${inputName})`,
    );
  }
  builder.mutationField(name, (t) =>
    t.field({
      type: definition.success.type,
      description: definition.description,
      args: input
        ? { input: t.arg({ type: input.type, required: true, description: input.description }) }
        : {},
      ...(authScopes
        ? {
            authScopes: (_root: unknown, args: { input: Input }, context: Types['Context']) =>
              authScopes(args.input, context),
          }
        : {}),
      ...(onInputRefused ? { onInputRefused } : {}),
      errors: {
        types: [...errors],
        union: {
          name: `${typeName}Payload`,
          description: `${name} の結果 — ${typeName}Success か型付きエラー (Error) のいずれか (the result of ${name}: ${typeName}Success or a typed error)`,
        },
        result: {
          name: `${typeName}Success`,
          description: `${name} の成功 (${name} succeeded)`,
        },
        dataField: { name: definition.success.field, description: definition.success.description },
      },
      resolve: async (_root: unknown, args: { input: Input }, context: Types['Context']) => {
        try {
          return await definition.resolve(args.input, context);
        } catch (error) {
          const typed = typedErrorOf(error, errors);
          if (typed) throw typed;
          warnIfUndeclared(error, name, context);
          throw error;
        }
      },
    } as never),
  );
}

/** A domain error the mutation did not declare reaches the client in errors[]: say so in the log. */
function warnIfUndeclared(error: unknown, mutation: string, context: unknown) {
  if (typedErrorOf(error, ALL_FAMILIES) === null) return;
  (context as Partial<HubContext>).logger?.warn(
    { mutation, code: (error as AppError).code },
    'domain error not declared on the mutation: answered in errors[]',
  );
}

const ALL_FAMILIES = Object.values(TYPED_ERROR_CLASSES);
