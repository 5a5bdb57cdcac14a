import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@hub/dev-infra';
import { createInProcessBus } from '@hub/event-bus';
import {
  createDatabasePool,
  createLogger,
  type RunningService,
  withDeadline,
} from '@hub/service-kit';
import { startSpacesService } from '@hub/spaces';
import { asAdmin, migrationScripts, sendAsGateway, TEST_GATEWAY_SECRET } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type HubStack, startHub } from './support/hub.js';

// Issue 7 end to end: what a client sees through the gateway when a subgraph's database
// connections are all taken, and the kit's database settings on the embedded PGlite server
// (`npm start`'s default), which runs one shared session per database.

const require = createRequire(import.meta.url);
const spacesMigrations = path.join(
  path.dirname(path.dirname(require.resolve('@hub/spaces'))),
  'prisma',
  'migrations',
);
const LIST = '{ spaces(first: 1) { nodes { id } } }';

describe('a subgraph whose database connections are all taken', () => {
  let hub: HubStack;

  beforeAll(async () => {
    hub = await startHub({ services: ['spaces'], bus: 'in-process' });
  }, 60_000);
  afterAll(() => hub?.stop());

  it('answers the client through the gateway with SERVICE_UNAVAILABLE, not an internal error', async () => {
    const spaces = hub.services.spaces!;
    const locker = new pg.Client({ connectionString: spaces.databaseUrl });
    locker.on('error', () => {});
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE space IN ACCESS EXCLUSIVE MODE');
    // The test stack's pool has 5 connections: 5 requests wait on the lock, holding them all.
    const stuck = [1, 2, 3, 4, 5].map(() =>
      sendAsGateway(spaces.url, LIST, {}, { identity: asAdmin() }).catch((error) => error),
    );
    try {
      const started = Date.now();
      const response = await hub.query(LIST);
      expect(Date.now() - started).toBeLessThan(4_500); // before the gateway's 5 s deadline
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('try again'),
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          retryAfterSeconds: 1,
          serviceName: 'spaces',
          requestId: expect.any(String),
        },
      });
    } finally {
      await locker.query('COMMIT');
      await locker.end();
      await Promise.all(stuck);
    }
    expect((await hub.query(LIST)).errors).toBeUndefined();
  });
});

describe('on the embedded PostgreSQL (PGlite)', () => {
  const logger = createLogger({ name: 'pglite-settings', level: 'silent' });
  let embedded: EmbeddedPostgres;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-pglite-settings-'));
    embedded = await startEmbeddedPostgres({ dataDir, databases: ['hub_spaces'] });
    url = embedded.urls.hub_spaces!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const sql of migrationScripts(spacesMigrations)) await client.query(sql);
    await client.query(
      "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
    );
    await client.end();
  }, 120_000);
  afterAll(async () => {
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('accepts the startup settings without applying them: they are PostgreSQL-only', async () => {
    const db = createDatabasePool({
      connectionString: url,
      max: 2,
      timeouts: {
        statementTimeoutMs: 1_234,
        lockTimeoutMs: 567,
        idleInTransactionTimeoutMs: 8_900,
      },
      logger,
    });
    try {
      const { rows } = await db.pool.query(
        `SELECT current_setting('statement_timeout') AS statement,
                current_setting('lock_timeout') AS lock,
                current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
      // PGlite ignores startup parameters (one session for all connections; no timers in WASM):
      // the embedded server's own guard ends a transaction idle while others wait (30 s).
      expect(rows).toEqual([{ statement: '0', lock: '0', idle: '0' }]);
      // Given back inside its transaction: destroyed, and the server rolls the session back.
      const client = await db.pool.connect();
      await client.query('BEGIN');
      await client.query(
        "INSERT INTO municipality (code, name, prefecture) VALUES ('999999', '仮', '仮')",
      );
      client.release();
      const left = await db.pool.query(
        "SELECT count(*)::int AS n FROM municipality WHERE code = '999999'",
      );
      expect(left.rows).toEqual([{ n: 0 }]);
      expect(db.health()).toMatchObject({ leased: 0, waiting: 0 });
    } finally {
      await db.end(2_000);
    }
  });

  it('runs a service: a write, a refused write, readiness, and a stop in time', async () => {
    const bus = createInProcessBus({ logger });
    let service: RunningService | undefined;
    try {
      service = await startSpacesService({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: url,
        databasePoolMax: 2,
        gatewaySecret: TEST_GATEWAY_SECRET,
        bus,
        logger,
      });
      const call = <T = Record<string, unknown>>(
        query: string,
        variables?: Record<string, unknown>,
      ) => sendAsGateway<T>(service!.url, query, variables, { identity: asAdmin() });
      const CREATE =
        'mutation($input: CreateSpaceInput!) { createSpace(input: $input) { __typename ... on Error { code } } }';
      const created = await call(CREATE, {
        input: { name: '埋め込みの拠点', kind: 'COWORKING', municipalityCode: '011002' },
      });
      expect(created.errors).toBeUndefined();
      expect(created.data).toEqual({ createSpace: { __typename: 'CreateSpaceSuccess' } });
      // A refused write rolls back and leaves the pool sound on the shared session.
      const refused = await call<{ createSpace: { __typename: string; code: string } }>(CREATE, {
        input: { name: '不明な市', kind: 'COWORKING', municipalityCode: '011011' },
      });
      expect(refused.errors).toBeUndefined();
      expect(refused.data!.createSpace.code).toMatch(/MUNICIPALITY/);
      expect((await call(LIST)).errors).toBeUndefined();
      const readiness = await fetch(service.url.replace('/graphql', '/_readiness'));
      expect(readiness.status).toBe(200);
      const started = Date.now();
      await withDeadline(service.stop(), 12_000, 'stopping on PGlite');
      service = undefined;
      expect(Date.now() - started).toBeLessThan(11_000);
    } finally {
      await service?.stop();
      await bus.close();
    }
  }, 60_000);
});
