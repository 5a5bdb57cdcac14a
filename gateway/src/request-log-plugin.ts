import type { ApolloServerPlugin } from '@apollo/server';
import { stampRequestId } from '@hub/service-kit';
import type { Logger } from 'pino';
import type { GatewayContext } from './gateway-context.js';
import { isClientFacingError, SERVER_FAULT_CODES } from './gateway-errors.js';
import { limitErrorOf } from './limit-errors.js';

/**
 * Records the operation name and error codes on the context for the access log, and logs the
 * original of every error that `formatError` masks, with its request id: the client sees a
 * generic message and that id (`extensions.requestId` on every failure of ours), operators see
 * the cause.
 */
export function createRequestLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.accessLog.operationName = operationName ?? null;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const isClientFacing = isClientFacingError(error);
            // A limit's own code, which the formatter restores over GRAPHQL_VALIDATION_FAILED.
            const code = limitErrorOf(error)?.extensions.code ?? error.extensions.code;
            contextValue.accessLog.errorCodes.push(
              isClientFacing && typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
            );
            if (!isClientFacing) {
              logger.error(
                {
                  requestId: contextValue.requestId,
                  serviceName: error.extensions.serviceName,
                  code,
                  path: error.path,
                  err: error.originalError ?? error,
                },
                'internal error masked for the client',
              );
            }
          }
        },
        async willSendResponse({ contextValue, response }) {
          stampRequestId(response, contextValue.requestId, SERVER_FAULT_CODES);
        },
      };
    },
  };
}
