import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind } from 'graphql';

/**
 * Refuses, before anything runs, the operations Apollo Gateway cannot run. Apollo Server picks
 * the operation itself (graphql-js `getOperationAST`) and expects the executor to *return* an
 * error when none matches; Apollo Gateway's executor *throws* instead ("Unknown operation
 * named …", "Must provide operation name …", and "Execution of subscriptions not supported"
 * from the query plan), which Apollo Server can only treat as an internal failure: HTTP 500.
 * Deciding here, in `didResolveOperation`, turns each into a 400 with a code of its own; an
 * error thrown from this hook is answered with the status in its `http` extension. The same goes
 * for an operation type the schema lacks (a mutation against a schema without mutations).
 */
export function createOperationGuardPlugin<
  Context extends BaseContext,
>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) throw unresolvedOperationError(document, request.operationName);
          if (operation.operation === 'subscription') {
            throw requestError(
              'SUBSCRIPTIONS_NOT_SUPPORTED',
              'このエンドポイントはサブスクリプションに対応していません (subscriptions are not supported here; use a query or a mutation)',
            );
          }
          // graphql-js 16 does not validate this (17 does); the query planner throws on it.
          if (!schema.getRootType(operation.operation)) {
            throw requestError(
              'GRAPHQL_VALIDATION_FAILED',
              `このスキーマには ${operation.operation} がありません (the schema has no ${operation.operation} type)`,
            );
          }
        },
      };
    },
  };
}

function unresolvedOperationError(document: DocumentNode, operationName: string | undefined) {
  if (operationName) {
    return requestError(
      'OPERATION_NOT_FOUND',
      `操作 "${operationName}" が文書にありません (no operation named "${operationName}" in the document)`,
    );
  }
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  ).length;
  if (operations > 1) {
    return requestError(
      'OPERATION_NAME_REQUIRED',
      '文書に複数の操作があります。operationName で実行する操作を指定してください (the document has several operations: say which one in operationName)',
    );
  }
  return requestError(
    'OPERATION_NOT_FOUND',
    '文書に操作がありません (the document has no operation)',
  );
}

function requestError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
