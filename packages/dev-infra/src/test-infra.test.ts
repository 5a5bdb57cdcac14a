import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { findFreePort } from './ports.js';
import { ensureTestInfra } from './test-infra.js';

let dataDir: string;
const savedNatsUrl = process.env.NATS_URL;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-infra-test-infra-'));
});

afterAll(() => {
  if (savedNatsUrl === undefined) delete process.env.NATS_URL;
  else process.env.NATS_URL = savedNatsUrl;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ensureTestInfra', () => {
  it('finds a Postgres that answers and says what it uses', async () => {
    const infra = await ensureTestInfra({ dataDir, requireNats: false });
    try {
      const client = new pg.Client({ connectionString: infra.postgresAdminUrl });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      expect(infra.describe).toMatch(/^Postgres: .+; NATS: .+/);
    } finally {
      await infra.stop();
    }
  }, 60_000);

  it('fails loudly, naming what to install, when NATS is required but missing', async () => {
    process.env.NATS_URL = `nats://127.0.0.1:${await findFreePort()}`;
    await expect(ensureTestInfra({ dataDir, requireNats: true, natsBinary: null })).rejects.toThrow(
      /need NATS[\s\S]*NATS_URL[\s\S]*apt-get install nats-server/,
    );
  }, 60_000);
});
