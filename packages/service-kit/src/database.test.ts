import { afterAll, describe, expect, it } from '@jest/globals';
import { createDatabasePool, requestScope } from './database.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const { pool, stats } = createDatabasePool({ connectionString: url, max: 1 });

afterAll(() => pool.end());

describe('createDatabasePool counts the statements of GraphQL requests', () => {
  it('counts a request query that waited for the connection, not the background one before it', async () => {
    const before = stats.queries;
    // A background job holds the only connection; the request's query queues behind it and is
    // handed the connection from inside the job's release.
    const held = await pool.connect();
    const requestQuery = requestScope.run(true, () => pool.query('SELECT 1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.release();
    await requestQuery;
    expect(stats.queries - before).toBe(1);
  });

  it('does not count a background query that waited behind a request', async () => {
    const before = stats.queries;
    const held = await requestScope.run(true, () => pool.connect());
    const background = pool.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    requestScope.run(true, () => held.release());
    await background;
    expect(stats.queries - before).toBe(0);
  });
});
