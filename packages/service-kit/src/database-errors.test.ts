import { describe, expect, it } from '@jest/globals';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors.js';
import { createErrorFormatter } from './errors.js';

// The shapes below are what a resolver really receives from @prisma/client 6.19.3 with
// @prisma/adapter-pg (seen in services/spaces/src/database.test.ts against PostgreSQL).
const prismaError = (code: string, message: string, meta: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta });
const driverAdapterError = (cause: Record<string, unknown>) =>
  Object.assign(new Error(String(cause.message ?? cause.kind)), {
    name: 'DriverAdapterError',
    cause,
  });

const format = createErrorFormatter({ debugErrors: false });
const codeOf = (error: unknown) => format({ message: 'x' }, error).extensions?.code;

describe('isDatabaseUnavailable', () => {
  it.each([
    ['the pool had no connection in time', new DatabaseUnavailableError('pool-timeout', 'no')],
    ['pg: the connection broke', new Error('Connection terminated unexpectedly')],
    [
      'pg: a query on a broken client',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['pg: the connection did not answer', new Error('Query read timeout')],
    ['a socket error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'the adapter: a backend terminated',
      driverAdapterError({ kind: 'postgres', code: '57P01', originalCode: '57P01' }),
    ],
    [
      'Prisma: raw query over statement_timeout',
      prismaError('P2010', 'Raw query failed. Code: `57014`.', {
        driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '57014' } },
      }),
    ],
    [
      'Prisma: an expired interactive transaction',
      prismaError(
        'P2028',
        'Transaction API error: A query cannot be executed on an expired transaction. The timeout…',
      ),
    ],
    [
      'Prisma: maxWait',
      prismaError(
        'P2028',
        'Transaction API error: Unable to start a transaction in the given time.',
      ),
    ],
    [
      'Prisma: write conflict or deadlock',
      prismaError('P2034', 'Transaction failed due to a write conflict'),
    ],
    [
      'lock_timeout',
      Object.assign(new Error('canceling statement due to lock timeout'), {
        code: '55P03',
        severity: 'ERROR',
      }),
    ],
    ['wrapped', new Error('outer', { cause: new Error('Connection terminated unexpectedly') })],
  ])('recognises %s, which clients get as SERVICE_UNAVAILABLE', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(codeOf(error)).toBe('SERVICE_UNAVAILABLE');
  });

  it.each([
    ['a unique violation', prismaError('P2002', 'Unique constraint failed')],
    [
      'a transaction used after it closed (a bug)',
      prismaError('P2028', 'Transaction API error: Transaction already closed'),
    ],
    ['a missing table', driverAdapterError({ kind: 'TableDoesNotExist', table: 'x' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('leaves %s an internal error', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(codeOf(error)).toBe('INTERNAL_SERVER_ERROR');
  });
});
