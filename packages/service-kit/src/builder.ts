// The plugins extend Pothos' builder types globally; these references carry those extensions
// into the emitted .d.ts so services see asEntity, prismaObject, authScopes, connections, …
/// <reference types="@pothos/plugin-directives" preserve="true" />
/// <reference types="@pothos/plugin-errors" preserve="true" />
/// <reference types="@pothos/plugin-federation" preserve="true" />
/// <reference types="@pothos/plugin-prisma" preserve="true" />
/// <reference types="@pothos/plugin-relay" preserve="true" />
/// <reference types="@pothos/plugin-scope-auth" preserve="true" />

import {
  isHubAdmin,
  isMember,
  isPartner,
  type PartnerScope,
  staffOrganizationIds,
} from '@hub/identity';
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { PAGE_SIZE_DEFAULT } from './connection.js';
import type { HubContext } from './context.js';
import { AppError } from './errors.js';
import { HUB_INPUT_PLUGIN, PAGE_SIZE_MAX } from './input-plugin.js';
import { defineTypedErrorTypes } from './typed-errors.js';

/**
 * Scopes every subgraph understands; field rules are written against these (docs/authorization.md).
 * Parameterised scopes take the fact of the parent they guard: `self: member.id`,
 * `staffOf: [organisation ids the member is registered with]`, `orgAdmin: organisation id`.
 */
export type HubAuthScopes = {
  public: boolean;
  /** Any signed-in member. */
  member: boolean;
  /** A hub administrator. */
  admin: boolean;
  /** Any partner API key. */
  partner: boolean;
  /** The caller is this member. */
  self: string;
  /** The caller holds a staff role (staff, coordinator, admin) in one of these organisations. */
  staffOf: readonly string[];
  /** The caller is an admin of this organisation. */
  orgAdmin: string;
  /** A partner key with this scope. */
  partnerScope: PartnerScope;
};

/** The scope values of one request (scope-auth calls this once per request). */
export function hubAuthScopes(context: HubContext) {
  const { identity } = context;
  const staffIds = new Set(staffOrganizationIds(identity));
  return {
    public: true,
    member: isMember(identity),
    admin: isHubAdmin(identity),
    partner: isPartner(identity),
    self: (memberId: string) => isMember(identity) && identity.memberId === memberId,
    staffOf: (organizationIds: readonly string[]) => organizationIds.some((id) => staffIds.has(id)),
    orgAdmin: (organizationId: string) =>
      isMember(identity) &&
      identity.staffOf.some(
        (entry) => entry.organizationId === organizationId && entry.role === 'admin',
      ),
    partnerScope: (scope: PartnerScope) => isPartner(identity) && identity.scopes.includes(scope),
  };
}

/** Anonymous callers are told to sign in; signed-in ones that they may not. */
export function unauthorizedError(context: HubContext): AppError {
  return context.identity === null
    ? new AppError('UNAUTHENTICATED', 'サインインが必要です (sign-in required)')
    : new AppError('FORBIDDEN', 'この操作・項目の権限がありません (not allowed)');
}

export type SubgraphSchemaTypes<PrismaTypes extends {}, Context extends HubContext> = {
  PrismaTypes: PrismaTypes;
  Context: Context;
  AuthScopes: HubAuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
};

export type SubgraphBuilderOptions<Context extends HubContext> = {
  /** The Prisma datamodel from the service's generated Pothos types (`getDatamodel()`). */
  dmmf: unknown;
  /** The Prisma client of the request (kept in context so the builder has no side effects). */
  prismaOf: (context: Context) => unknown;
};

/**
 * The one way a subgraph gets its Pothos builder: scope-auth, errors, relay, Prisma, directives
 * and federation plugins in the order their docs require (auth first, errors before Prisma,
 * federation last). The kit's input checks (input-plugin.ts) come before all of them, so a
 * malformed value is refused before a scope rule or resolver can pass it to the database; and
 * since both wrap resolvers outside the errors plugin, their refusals stay in `errors[]` while
 * a mutation's domain errors become its typed errors. Every subgraph gets the same `ErrorCode`,
 * `Error` and error types (typed-errors.ts).
 */
export function createSubgraphBuilder<PrismaTypes extends {}, Context extends HubContext>(
  options: SubgraphBuilderOptions<Context>,
) {
  const builder = new SchemaBuilder<SubgraphSchemaTypes<PrismaTypes, Context>>({
    plugins: [
      HUB_INPUT_PLUGIN,
      ScopeAuthPlugin,
      ErrorsPlugin,
      RelayPlugin,
      PrismaPlugin,
      DirectivesPlugin,
      FederationPlugin,
    ],
    defaultFieldNullability: false,
    scopeAuth: {
      authScopes: (context: Context) => hubAuthScopes(context),
      unauthorizedError: (_parent: unknown, context: Context) =>
        unauthorizedError(context).toGraphQLError(),
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      // Entities are fetched through federation keys, not Relay global ids.
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      // Every subgraph defines the same PageInfo; federation needs it marked shareable, and the
      // descriptions identical. Partners read these in the SDL, so they are described here once.
      pageInfoTypeOptions: { shareable: true, description: 'ページ送りの状態 (pagination state)' },
      hasNextPageFieldOptions: { description: '次のページがある (there is a next page)' },
      hasPreviousPageFieldOptions: { description: '前のページがある (there is a previous page)' },
      startCursorFieldOptions: { description: '先頭の要素のカーソル (cursor of the first edge)' },
      endCursorFieldOptions: {
        description:
          '末尾の要素のカーソル — 次ページの after に渡す (cursor of the last edge; pass as after)',
      },
      pageInfoFieldOptions: { description: 'ページ送りの状態 (pagination state)' },
      edgesFieldOptions: { description: '要素とそのカーソル (items with their cursors)' },
      nodeFieldOptions: { description: '要素 (the item)' },
      cursorFieldOptions: { description: 'この要素のカーソル (cursor of this edge)' },
      firstArgOptions: {
        description:
          '先頭から取得する件数 — 省略時 20 (number of items from the start; 20 when omitted)',
      },
      afterArgOptions: { description: 'このカーソルより後を取得 (items after this cursor)' },
      lastArgOptions: { description: '末尾から取得する件数 (number of items from the end)' },
      beforeArgOptions: { description: 'このカーソルより前を取得 (items before this cursor)' },
      // Clients that need no cursors read the items directly.
      nodesOnConnection: { description: 'このページの要素 (the items of this page)' },
    },
    prisma: {
      // biome-ignore lint/suspicious/noExplicitAny: each service's generated client type
      client: options.prismaOf as (context: Context) => any,
      // biome-ignore lint/suspicious/noExplicitAny: generated datamodel shape
      dmmf: options.dmmf as any,
      exposeDescriptions: true,
      filterConnectionTotalCount: true,
      // The input plugin refuses larger pages; this keeps Pothos' own clamp at the same number.
      maxConnectionSize: PAGE_SIZE_MAX,
      defaultConnectionSize: PAGE_SIZE_DEFAULT,
      onUnusedQuery: null,
    },
  } as never);
  defineTypedErrorTypes(builder as never);
  return builder;
}
