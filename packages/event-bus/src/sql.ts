// The smallest database surface the outbox and inbox need. It is structural so that a Prisma 6
// PrismaClient, a Prisma interactive-transaction client and a plain `pg` adapter all fit
// without this package depending on any of them.

/** Runs SQL with positional parameters ($1, $2, …). Prisma clients and tx clients fit. */
export type SqlClient = {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

export type TransactionOptions = { timeout?: number; maxWait?: number };

/**
 * A SqlClient that can open an interactive transaction. A PrismaClient fits as is. `TTx` is the
 * transaction client handed to callbacks: inferred from a PrismaClient, so handlers get its
 * typed model API rather than raw SQL only.
 */
export type Database<TTx extends SqlClient = SqlClient> = SqlClient & {
  $transaction<T>(fn: (tx: TTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
};
