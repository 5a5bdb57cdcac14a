/**
 * Which database failures mean "the database is unavailable or overloaded right now" — the
 * request may succeed if tried again — as opposed to a bug or a client's mistake. The pool
 * (database.ts) throws DatabaseUnavailableError for what it detects itself; everything else
 * reaches the service through pg, the Prisma driver adapter or Prisma's transaction manager,
 * each wrapping differently, so isDatabaseUnavailable recognises all of those shapes.
 */

/** The database cannot serve this call now: no connection in time, or the connection broke. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    readonly reason: 'pool-timeout' | 'connection-lost' | 'connect-failed' | 'pool-closed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// SQLSTATEs of a connection that is gone or never came (class 08 is matched by prefix):
// admin_shutdown (pg_terminate_backend, a restart), crash_shutdown, cannot_connect_now.
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const SOCKET_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// pg's own errors (no code) for a connection that broke, ended, or did not answer in time.
const PG_CONNECTION_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
]);
// Statement-level failures on a healthy connection that a retry may well pass: statement_timeout
// or a cancel, lock_timeout, idle_in_transaction_session_timeout, too many connections, a
// serialization failure, a deadlock.
const TRANSIENT_SQLSTATES = new Set(['57014', '55P03', '25P03', '53300', '40001', '40P01']);
// Prisma's codes for the same: can't reach / timed out / connection closed, pool timeout (the
// native engine's), write conflict or deadlock, too many connections.
const TRANSIENT_PRISMA_CODES = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2034',
  'P2037',
]);
// The `kind` of a DriverAdapterError's cause (@prisma/adapter-pg) for the same failures.
const TRANSIENT_ADAPTER_KINDS = new Set([
  'ConnectionClosed',
  'SocketTimeout',
  'DatabaseNotReachable',
  'TooManyConnections',
  'TransactionWriteConflict',
]);
// Prisma's transaction manager (P2028) also reports programming errors (a query on a closed
// transaction); only its two timeouts are about load.
const PRISMA_TRANSACTION_TIMEOUTS = [
  'Unable to start a transaction in the given time',
  'cannot be executed on an expired transaction',
];

type Shape = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** pg or socket errors that mean the connection itself is gone (not a failed statement). */
export function isConnectionLevelError(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return error.reason !== 'pool-timeout';
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as Shape;
  if (typeof code === 'string') {
    if (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || SOCKET_ERROR_CODES.has(code)) {
      return true;
    }
  }
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.has(message);
}

/**
 * Whether an error (as a resolver sees it) means the database is unavailable or overloaded for
 * now. Follows `cause` chains and Prisma's `meta.driverAdapterError`, so the same failure is
 * recognised from the pool, from pg, from the adapter and from Prisma's transaction manager.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof DatabaseUnavailableError || isConnectionLevelError(current)) return true;
    const shape = current as Shape & { kind?: unknown; originalCode?: unknown };
    const codes = [shape.code, shape.originalCode].filter((c) => typeof c === 'string');
    if (codes.some((code) => TRANSIENT_SQLSTATES.has(code as string))) return true;
    if (typeof shape.code === 'string' && TRANSIENT_PRISMA_CODES.has(shape.code)) return true;
    if (
      shape.code === 'P2028' &&
      typeof shape.message === 'string' &&
      PRISMA_TRANSACTION_TIMEOUTS.some((text) => (shape.message as string).includes(text))
    ) {
      return true;
    }
    // A DriverAdapterError's `cause` is a plain description: { kind, code?, originalCode? }.
    if (typeof shape.kind === 'string' && TRANSIENT_ADAPTER_KINDS.has(shape.kind)) {
      return true;
    }
    pending.push(shape.cause, shape.meta?.driverAdapterError);
  }
  return false;
}
