import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { ensureDatabase } from './databases.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';

// Real processes throughout: the PGlite host is spawned from dist/ (the test script builds
// first) and spoken to over TCP with pg or with hand-built protocol messages.

// Each PGlite database is a WebAssembly PostgreSQL in the host process: creating one takes
// seconds of CPU, over jest's 5 s default when the machine is busy (seen at load average 10–19).
jest.setTimeout(20_000);

const SERVICES = ['spaces', 'members', 'events', 'matching', 'support_programs'];
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 1500;
let dataDir: string;
let embedded: EmbeddedPostgres;
const pools: pg.Pool[] = [];

async function start(): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({
    dataDir,
    databases: SERVICES,
    port: 0,
    idleInTransactionTimeoutMs: IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
}

function pool(url: string, max = 5): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max });
  created.on('error', () => {}); // clients closed by the server on purpose in some tests
  pools.push(created);
  return created;
}

async function endPools(): Promise<void> {
  await Promise.all(pools.splice(0).map((p) => p.end()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-infra-pg-'));
  embedded = await start();
}, 60_000);

afterAll(async () => {
  await endPools();
  await embedded?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('startEmbeddedPostgres', () => {
  it('serves one separate database per name', async () => {
    expect(Object.keys(embedded.urls).sort()).toEqual([...SERVICES].sort());
    for (const name of SERVICES) {
      const db = pool(embedded.urls[name] ?? '', 1);
      const { rows } = await db.query('SELECT current_database() AS name');
      expect(rows[0].name).toBe(name);
      await db.query(`CREATE TABLE only_in_${name} (id int)`);
    }
    const { rows } = await pool(embedded.urls.spaces ?? '', 1).query(
      "SELECT tablename FROM pg_tables WHERE tablename LIKE 'only_in_%'",
    );
    expect(rows).toEqual([{ tablename: 'only_in_spaces' }]);
  });

  it('refuses an unknown database and creates one through the admin database', async () => {
    const unknown = new pg.Client({
      connectionString: embedded.adminUrl.replace(/postgres$/, 'nope'),
    });
    await expect(unknown.connect()).rejects.toMatchObject({ code: '3D000' });
    const url = await ensureDatabase(embedded.adminUrl, 'created_later');
    expect(await ensureDatabase(embedded.adminUrl, 'created_later')).toBe(url);
    const { rows } = await pool(url, 1).query('SELECT current_database() AS name');
    expect(rows[0].name).toBe('created_later');
  });

  it('starts a dropped and re-created database empty (as Prisma shadow databases are)', async () => {
    const url = await ensureDatabase(embedded.adminUrl, 'shadow_like');
    const shadow = new pg.Pool({ connectionString: url, max: 2 });
    await shadow.query('CREATE TABLE leftover (id int)');
    await shadow.end();
    const admin = pool(embedded.adminUrl, 1);
    await admin.query('DROP DATABASE shadow_like WITH (FORCE)');
    await ensureDatabase(embedded.adminUrl, 'shadow_like');
    const { rows } = await pool(url, 1).query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'leftover'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses a second server on the same data directory', async () => {
    await expect(startEmbeddedPostgres({ dataDir, databases: [], port: 0 })).rejects.toThrow(
      /in use by another embedded Postgres/,
    );
  });

  it('keeps data across stop and start', async () => {
    const spaces = pool(embedded.urls.spaces ?? '');
    await spaces.query('CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await spaces.query("INSERT INTO kept VALUES (1, 'survives a restart')");
    await endPools();
    await embedded.stop();

    embedded = await start();
    const { rows } = await pool(embedded.urls.spaces ?? '').query('SELECT note FROM kept');
    expect(rows).toEqual([{ note: 'survives a restart' }]);
    const members = await pool(embedded.urls.members ?? '').query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_members'",
    );
    expect(members.rows[0].n).toBe(1);
  }, 30_000);
});

describe('concurrent connections to one database', () => {
  it('serialises transactions: a query on B waits for A to commit, then sees its row', async () => {
    const db = pool(embedded.urls.events ?? '');
    await db.query('CREATE TABLE tx_demo (id int PRIMARY KEY)');
    const a = await db.connect();
    const b = await db.connect();
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO tx_demo VALUES (1)');
      let bFinished = false;
      const bCount = b.query('SELECT count(*)::int AS n FROM tx_demo').then((result) => {
        bFinished = true;
        return result.rows[0].n as number;
      });
      await sleep(200);
      expect(bFinished).toBe(false);
      await a.query('COMMIT');
      expect(await bCount).toBe(1);
    } finally {
      a.release();
      b.release();
    }
  });

  it('gives SELECT ... FOR UPDATE SKIP LOCKED workers disjoint rows', async () => {
    const db = pool(embedded.urls.events ?? '');
    await db.query('CREATE TABLE outbox (id int PRIMARY KEY, done boolean NOT NULL DEFAULT false)');
    await db.query('INSERT INTO outbox (id) SELECT generate_series(1, 6)');
    const worker = async () => {
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(
          'SELECT id FROM outbox WHERE NOT done ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED',
        );
        await sleep(20);
        const ids = rows.map((row) => row.id as number);
        await client.query('UPDATE outbox SET done = true WHERE id = ANY($1)', [ids]);
        await client.query('COMMIT');
        return ids;
      } finally {
        client.release();
      }
    };
    const claimed = (await Promise.all([worker(), worker(), worker()])).flat();
    expect(claimed.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers many parallel parameterised queries from a pool of 5 correctly', async () => {
    const db = pool(embedded.urls.matching ?? '');
    await db.query('CREATE TABLE kv (id int PRIMARY KEY, v text)');
    await db.query("INSERT INTO kv SELECT g, 'v' || g FROM generate_series(1, 100) g");
    const wrong = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        if (i % 2 === 0) {
          const { rows } = await db.query('SELECT v FROM kv WHERE id = $1', [1 + (i % 100)]);
          return rows[0]?.v === `v${1 + (i % 100)}` ? 0 : 1;
        }
        const { rows } = await db.query('SELECT $1::text AS echo, $2::int + 1 AS n', [`e${i}`, i]);
        return rows[0]?.echo === `e${i}` && rows[0]?.n === i + 1 ? 0 : 1;
      }),
    );
    expect(wrong.reduce((sum: number, x) => sum + x, 0)).toBe(0);
  });

  it('keeps an extended-protocol query whole when another connection interleaves', async () => {
    // pglite-socket 0.2.17 runs B's Parse between A's Parse and Bind here, and A gets "from B".
    const a = await RawClient.connect(embedded.port, 'matching');
    const b = await RawClient.connect(embedded.port, 'matching');
    try {
      a.send(parseMessage("SELECT 'from A' AS src, $1::text AS p"));
      await sleep(100);
      b.send(
        Buffer.concat([
          parseMessage("SELECT 'from B' AS src, $1::text AS p"),
          ...bindExecuteSync('b'),
        ]),
      );
      await sleep(200);
      expect(b.received()).toHaveLength(0); // waits: A is in the middle of a query
      a.send(Buffer.concat(bindExecuteSync('a')));
      expect(await a.rows()).toEqual([['from A', 'a']]);
      expect(await b.rows()).toEqual([['from B', 'b']]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('keeps named prepared statements of different connections apart', async () => {
    const db = pool(embedded.urls.matching ?? '');
    const a = await db.connect();
    const b = await db.connect();
    try {
      const plusOne = { name: 'calc', text: 'SELECT $1::int + 1 AS n', values: [1] };
      const plusTwo = { name: 'calc', text: 'SELECT $1::int + 2 AS n', values: [1] };
      expect((await a.query(plusOne)).rows[0].n).toBe(2);
      expect((await b.query(plusTwo)).rows[0].n).toBe(3);
      expect((await a.query({ ...plusOne, values: [10] })).rows[0].n).toBe(11);
    } finally {
      a.release(true);
      b.release(true);
    }
    // A new connection may reuse the name: the closed connections' statements are gone.
    const c = await db.connect();
    try {
      expect(
        (await c.query({ name: 'calc', text: 'SELECT $1::int * 3 AS n', values: [3] })).rows[0].n,
      ).toBe(9);
    } finally {
      c.release(true);
    }
  });

  it('rolls back the transaction of a client that disconnects and frees the database', async () => {
    const db = pool(embedded.urls.support_programs ?? '');
    await db.query('CREATE TABLE lost (id int)');
    const a = await db.connect();
    await a.query('BEGIN');
    await a.query('INSERT INTO lost VALUES (1)');
    a.release(true); // destroys the connection mid-transaction
    const { rows } = await db.query('SELECT count(*)::int AS n FROM lost');
    expect(rows[0].n).toBe(0);
  });

  it('closes a connection idle in a transaction that blocks others', async () => {
    const db = pool(embedded.urls.support_programs ?? '');
    const a = await db.connect();
    a.on('error', () => {});
    try {
      await a.query('BEGIN');
      const started = Date.now();
      const { rows } = await db.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_IN_TRANSACTION_TIMEOUT_MS - 100);
      await expect(a.query('SELECT 1')).rejects.toThrow();
    } finally {
      a.release(true);
    }
  });
});

// A minimal protocol-level client, to send partial extended-protocol sequences.
class RawClient {
  private buffer = Buffer.alloc(0);
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
    });
  }

  static async connect(port: number, database: string): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = new RawClient(socket);
    const params = Buffer.from(`user\0postgres\0database\0${database}\0\0`);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await client.untilReady();
    client.buffer = Buffer.alloc(0);
    return client;
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  received(): Buffer {
    return this.buffer;
  }

  /** Waits for ReadyForQuery, returns the DataRows (text columns) received before it. */
  async rows(): Promise<string[][]> {
    await this.untilReady();
    const rows: string[][] = [];
    for (const { type, body } of messages(this.buffer)) {
      if (type === 'E') throw new Error(body.toString('latin1'));
      if (type !== 'D') continue;
      const row: string[] = [];
      let offset = 2;
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const length = body.readInt32BE(offset);
        row.push(body.toString('utf8', offset + 4, offset + 4 + length));
        offset += 4 + length;
      }
      rows.push(row);
    }
    this.buffer = Buffer.alloc(0);
    return rows;
  }

  close(): void {
    this.socket.destroy();
  }

  private async untilReady(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (messages(this.buffer).some((m) => m.type === 'Z')) return;
      await sleep(10);
    }
    throw new Error('no ReadyForQuery');
  }
}

function messages(buffer: Buffer): { type: string; body: Buffer }[] {
  const out: { type: string; body: Buffer }[] = [];
  let offset = 0;
  while (offset + 5 <= buffer.length) {
    const length = buffer.readInt32BE(offset + 1);
    if (offset + 1 + length > buffer.length) break;
    out.push({
      type: String.fromCharCode(buffer[offset] ?? 0),
      body: buffer.subarray(offset + 5, offset + 1 + length),
    });
    offset += 1 + length;
  }
  return out;
}

function frontend(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

const cstr = (value: string) => Buffer.from(`${value}\0`);

function parseMessage(sql: string): Buffer {
  return frontend('P', cstr(''), cstr(sql), int16(0));
}

function bindExecuteSync(value: string): Buffer[] {
  const param = Buffer.from(value);
  return [
    frontend('B', cstr(''), cstr(''), int16(0), int16(1), int32(param.length), param, int16(0)),
    frontend('D', Buffer.from('P'), cstr('')),
    frontend('E', cstr(''), int32(0)),
    frontend('S'),
  ];
}
