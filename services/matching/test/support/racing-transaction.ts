import type { SqlClient } from '@hub/event-bus';
import type pg from 'pg';
import { lockMember } from '../../src/events/lock-member.js';

// For racing a mutation against a consumer's transaction (the member erasure): the test opens
// the transaction on its own connection, takes the locks and makes the changes the consumer
// makes, checks the mutation waits, and commits.

/** A transaction on its own connection of the pool, as the erasure consumer's would be. */
export async function openTransaction(pool: pg.Pool) {
  const client = await pool.connect();
  await client.query('BEGIN');
  const asSqlClient: SqlClient = {
    $executeRawUnsafe: async (query, ...values) =>
      (await client.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) =>
      (await client.query(query, values)).rows as T,
  };
  return {
    client,
    /** The lock the member's consumers (and the erasure) take: src/events/lock-member.ts. */
    lockMember: (memberId: string) => lockMember(asSqlClient, memberId),
    async commit() {
      await client.query('COMMIT');
      client.release();
    },
  };
}

/** Whether a promise is still pending after a while (it waits on a lock). */
export async function isWaiting(promise: Promise<unknown>, ms = 400): Promise<boolean> {
  let settled = false;
  const settle = () => {
    settled = true;
  };
  void promise.then(settle, settle);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !settled;
}
