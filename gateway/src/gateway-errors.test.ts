import { describe, expect, test } from '@jest/globals';
import { createGatewayErrorFormatter, INTERNAL_ERROR_MESSAGE } from './gateway-errors.js';

const format = createGatewayErrorFormatter({ debugErrors: false });

describe('createGatewayErrorFormatter', () => {
  test('passes a subgraph app error through, without its stack trace', () => {
    expect(
      format({
        message: '定員に達しています (event is full)',
        path: ['registerForEvent'],
        extensions: { code: 'CONFLICT', serviceName: 'events', stacktrace: ['at x'] },
      }),
    ).toEqual({
      message: '定員に達しています (event is full)',
      path: ['registerForEvent'],
      extensions: { code: 'CONFLICT', serviceName: 'events' },
    });
  });

  test("passes a subgraph's SERVICE_UNAVAILABLE through: a clear, retryable error", () => {
    const error = {
      message:
        '一時的に処理できませんでした。少し待ってからもう一度お試しください (temporarily unavailable; please try again shortly)',
      path: ['signUp'],
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        retryAfterSeconds: 1,
        requestId: 'req-1',
        serviceName: 'members',
      },
    };
    expect(format(error)).toEqual(error);
  });

  test('masks a subgraph validation failure: the gateway already validated the operation', () => {
    expect(
      format({
        message: 'Cannot query field "secretColumn" on type "Member".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'members' },
      }),
    ).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'members' },
    });
  });

  test('masks a subgraph error that has no code', () => {
    expect(format({ message: 'boom', extensions: { serviceName: 'spaces' } }).message).toBe(
      INTERNAL_ERROR_MESSAGE,
    );
  });

  test('masks an error of the gateway itself', () => {
    expect(
      format({ message: 'Expected "data._entities" to contain 2 elements', path: ['spaces'] }),
    ).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      path: ['spaces'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('in development a masked error keeps its original message for the developer', () => {
    const formatDev = createGatewayErrorFormatter({ debugErrors: true });

    expect(formatDev({ message: 'boom' }).extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      originalMessage: 'boom',
    });
  });
});
