import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Mutex, PGlite } from '@electric-sql/pglite';
import {
  closeStatementMessage,
  copyFailMessage,
  errorResponse,
  MSG,
  namespaceMessage,
  ReadyTracker,
  readUntypedPacket,
  simpleQuery,
  splitMessages,
  syncMessage,
  UNIT_END_TYPES,
} from './pg-wire.js';

// Why this exists instead of @electric-sql/pglite-socket's PGLiteSocketServer (README.md has the
// measurements): PGlite is one single-user backend session. pglite-socket multiplexes client
// connections onto it message by message, so an extended-protocol query (Parse, Bind, Execute,
// Sync) of one connection can interleave with another's, and Bind then runs the *other*
// connection's unnamed statement — reproduced here with two raw sockets. It also cannot connect
// to a database by name (every name lands in `postgres`). This server:
//   - runs one PGlite per database (its own data directory) behind one TCP port and routes each
//     connection by the database named in its startup packet, like a real server;
//   - treats `postgres` as the admin database: CREATE/DROP DATABASE there is the registry that
//     decides which databases exist, so `ensureDatabase` and Prisma's shadow database work;
//   - hands a database's session to one connection at a time, for a whole unit of work (up to
//     ReadyForQuery) and for the whole of an open transaction block;
//   - gives each connection its own namespace for named prepared statements and portals.

export type PgliteServerLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export type PgliteServerOptions = {
  dataDir: string;
  host?: string;
  /** 0 = any free port; a taken port falls back to any free one. */
  port?: number;
  /** PGlite's default (128MB) costs ~200 MB of RSS per database; 16MB is plenty for dev data. */
  sharedBuffers?: string;
  /** An idle connection holding a transaction open is closed after this long when another
   * connection waits for the database (it blocks everyone). Default 30 s. */
  idleInTransactionTimeoutMs?: number;
  log?: PgliteServerLog;
};

export const ADMIN_DATABASE = 'postgres';
const MARKER_FILE = 'hub-database.json';

export class DatabaseNotFoundError extends Error {
  constructor(readonly database: string) {
    super(`database "${database}" does not exist`);
  }
}

type Owner = object;
type Waiter = { owner: Owner; resolve: (granted: boolean) => void };

/** One PGlite instance and the FIFO lock that lends its single session to one owner at a time. */
class Database {
  readonly connections = new Set<Connection>();
  isClosed = false;
  private owner: Owner | null = null;
  private readonly waiters: Waiter[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly oid: number | null,
    readonly dir: string,
    readonly db: PGlite,
    private readonly idleInTransactionTimeoutMs: number,
    private readonly log: PgliteServerLog,
  ) {}

  /** Resolves true once `owner` holds the session, false if the wait was cancelled. */
  acquire(owner: Owner): Promise<boolean> {
    if (this.owner === owner) return Promise.resolve(true);
    if (this.owner === null && this.waiters.length === 0) {
      this.owner = owner;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.waiters.push({ owner, resolve });
      this.checkIdleOwner();
    });
  }

  release(owner: Owner): void {
    if (this.owner !== owner) return;
    this.clearIdleTimer();
    const next = this.waiters.shift();
    this.owner = next ? next.owner : null;
    next?.resolve(true);
  }

  cancelWait(owner: Owner): void {
    const index = this.waiters.findIndex((waiter) => waiter.owner === owner);
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(false);
  }

  isOwner(owner: Owner): boolean {
    return this.owner === owner;
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const token = {};
    await this.acquire(token);
    try {
      return await fn();
    } finally {
      this.release(token);
    }
  }

  /** Runs raw protocol bytes on the session; the caller must hold the lock. */
  run(bytes: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() =>
      this.db.execProtocolRawStream(bytes, { onRawData: onData, syncToFs: true }),
    );
  }

  /** Called when the owner has nothing left to run and when someone starts waiting. */
  checkIdleOwner(): void {
    const owner = this.owner;
    if (!(owner instanceof Connection) || this.idleTimer || this.waiters.length === 0) return;
    if (!owner.isIdleHolder()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.owner === owner && owner.isIdleHolder() && this.waiters.length > 0) {
        this.log('warn', 'closing a connection idle in a transaction that blocks others', {
          database: this.name,
          connection: owner.id,
          waiting: this.waiters.length,
        });
        owner.terminate(
          '25P03',
          'terminating connection due to idle-in-transaction timeout (embedded Postgres runs one ' +
            'session per database, so an open transaction blocks every other connection)',
        );
      }
    }, this.idleInTransactionTimeoutMs);
    this.idleTimer.unref();
  }

  clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

type ConnectionState = 'startup' | 'routing' | 'ready' | 'closed';

/** One client socket. Its messages run on its database's session while it holds the lock. */
class Connection {
  private static nextId = 1;
  readonly id = Connection.nextId++;
  database: Database | null = null;
  private state: ConnectionState = 'startup';
  private buffer: Buffer = Buffer.alloc(0);
  // Chunks of a message still incomplete, gathered without copying until it is whole.
  private chunks: Buffer[] = [];
  private chunkedLength = 0;
  private needed = 0;
  private pending: Buffer[] = [];
  private isPumping = false;
  private isRunning = false;
  private hasStartedUp = false;
  private hasCleanupStarted = false;
  private resolveCleanup: () => void = () => {};
  private readonly cleanupDone = new Promise<void>((resolve) => {
    this.resolveCleanup = resolve;
  });
  private readonly tracker = new ReadyTracker();
  private readonly statements = new Set<string>();
  private readonly prefix = `c${this.id}_`;

  constructor(
    private readonly socket: net.Socket,
    private readonly server: PgliteServer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Holds the session but has nothing to run: waiting on its client, e.g. mid-transaction. */
  isIdleHolder(): boolean {
    return this.state === 'ready' && this.pending.length === 0 && !this.isRunning;
  }

  terminate(code: string, message: string): void {
    if (this.state === 'closed') return;
    if (this.socket.writable) this.socket.write(errorResponse('FATAL', code, message));
    this.socket.end();
    this.close();
  }

  /** Stops reading; the session is reset (transaction rolled back) and released. */
  close(): Promise<void> {
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.pending = [];
      this.database?.cancelWait(this);
    }
    // A running pump finishes its current unit first, then cleans up itself.
    if (!this.isPumping) this.startCleanup();
    return this.cleanupDone;
  }

  private startCleanup(): void {
    if (this.hasCleanupStarted) return;
    this.hasCleanupStarted = true;
    void this.resetAndRelease().finally(this.resolveCleanup);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.chunks.push(chunk);
    this.chunkedLength += chunk.length;
    if (this.chunkedLength < this.needed) return;
    this.buffer = Buffer.concat([this.buffer, ...this.chunks]);
    this.chunks = [];
    this.chunkedLength = this.buffer.length;
    try {
      if (this.state === 'startup') this.readStartup();
      if (this.state === 'ready') this.readMessages();
    } catch (error) {
      this.terminate('08P01', `protocol violation: ${(error as Error).message}`);
    }
  }

  private readStartup(): void {
    for (;;) {
      const packet = readUntypedPacket(this.buffer);
      if (!packet) return;
      const bytes = Buffer.from(this.buffer.subarray(0, packet.length));
      this.buffer = this.buffer.subarray(packet.length);
      if (packet.kind === 'ssl' || packet.kind === 'gssenc') {
        this.socket.write('N');
        continue;
      }
      if (packet.kind === 'cancel') {
        // There is no separate backend to interrupt; a real server also answers nothing.
        this.socket.end();
        this.close();
        return;
      }
      if (packet.kind !== 'startup') {
        this.terminate('08P01', 'unsupported frontend protocol');
        return;
      }
      this.state = 'routing';
      const name = packet.params.database || packet.params.user || ADMIN_DATABASE;
      void this.route(name, bytes);
      return;
    }
  }

  private async route(name: string, startup: Buffer): Promise<void> {
    try {
      const database = await this.server.open(name);
      if (this.state === 'closed') return;
      this.database = database;
      database.connections.add(this);
      if (!(await database.acquire(this))) return;
      try {
        await database.run(startup, (data) => this.send(data));
      } finally {
        database.release(this);
      }
      this.hasStartedUp = true;
      if (this.state !== 'routing') return;
      this.state = 'ready';
      this.readMessages();
    } catch (error) {
      if (error instanceof DatabaseNotFoundError) {
        this.terminate('3D000', error.message);
        return;
      }
      this.server.log('error', 'could not open database for a connection', {
        database: name,
        error: (error as Error).message,
      });
      this.terminate('XX000', `embedded Postgres: ${(error as Error).message}`);
    }
  }

  private readMessages(): void {
    const { messages, rest } = splitMessages(this.buffer);
    this.buffer = rest.length > 0 ? rest : Buffer.alloc(0);
    this.chunkedLength = this.buffer.length;
    this.needed = this.buffer.length >= 5 ? 1 + this.buffer.readInt32BE(1) : 0;
    if (messages.length === 0) return;
    this.pending.push(...messages);
    if (this.database?.isOwner(this)) this.database.clearIdleTimer();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.isPumping) return;
    this.isPumping = true;
    try {
      while (this.state === 'ready' && this.pending.length > 0) {
        const database = this.database;
        if (!database || !(await database.acquire(this))) break;
        if (this.state !== 'ready') break;
        if (this.pending[0]?.[0] === MSG.terminate) {
          this.socket.end();
          this.state = 'closed';
          break;
        }
        this.isRunning = true;
        try {
          await database.run(this.takeBatch(), (data) => this.send(data));
        } finally {
          this.isRunning = false;
        }
        if (this.tracker.isIdle) database.release(this);
        else if (this.pending.length === 0) database.checkIdleOwner();
      }
    } catch (error) {
      this.server.log('error', 'embedded Postgres failed to run a client message', {
        database: this.database?.name,
        error: (error as Error).message,
      });
      if (this.socket.writable) {
        this.socket.write(errorResponse('FATAL', 'XX000', `embedded Postgres: ${String(error)}`));
      }
      this.socket.destroy();
      this.state = 'closed';
    } finally {
      this.isPumping = false;
      if (this.state === 'closed') this.startCleanup();
    }
  }

  /** The pending messages up to and including the next one the backend answers with
   * ReadyForQuery (one unit of work), with statement and portal names made per-connection. */
  private takeBatch(): Buffer {
    const batch: Buffer[] = [];
    while (this.pending.length > 0) {
      const next = this.pending[0];
      if (!next || next[0] === MSG.terminate) break;
      this.pending.shift();
      const { message, parsed, closed } = namespaceMessage(next, this.prefix);
      if (parsed) this.statements.add(parsed);
      if (closed) this.statements.delete(closed);
      batch.push(message);
      if (UNIT_END_TYPES.has(next[0] ?? 0)) break;
    }
    return Buffer.concat(batch);
  }

  private send(data: Uint8Array): void {
    this.tracker.feed(data);
    if (this.state !== 'closed' && this.socket.writable) this.socket.write(Buffer.from(data));
  }

  // Leaves the shared session as a fresh connection would find it: any half-sent extended
  // query or COPY ended, an open transaction rolled back, this connection's statements closed.
  private async resetAndRelease(): Promise<void> {
    if (!this.socket.destroyed) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
    const database = this.database;
    if (!database) return;
    try {
      const dirty = !this.tracker.isIdle || this.statements.size > 0;
      if (this.hasStartedUp && !database.isClosed && (database.isOwner(this) || dirty)) {
        if (await database.acquire(this)) {
          const discard = (data: Uint8Array) => this.tracker.feed(data);
          if (!this.tracker.isReady) {
            await database.run(
              Buffer.concat([copyFailMessage('client disconnected'), syncMessage()]),
              discard,
            );
          }
          if (this.tracker.status !== 'I') await database.run(simpleQuery('ROLLBACK'), discard);
          if (this.statements.size > 0) {
            const closes = [...this.statements].map((name) => closeStatementMessage(name));
            await database.run(Buffer.concat([...closes, syncMessage()]), discard);
            this.statements.clear();
          }
        }
      }
    } catch (error) {
      this.server.log('warn', 'could not reset the session of a closed connection', {
        database: database.name,
        error: (error as Error).message,
      });
    } finally {
      database.release(this);
      database.connections.delete(this);
      this.server.onDisconnect(database);
    }
  }
}

type Marker = { name: string; oid: number };

/**
 * A PostgreSQL-protocol server backed by PGlite, one instance per database, all under dataDir:
 * `template/` (a fresh cluster, copied for each new database — initdb costs ~2.7 s, a copy
 * ~0.1 s), `postgres/` (the admin database) and `databases/<name>/`.
 */
export class PgliteServer {
  private readonly dataDir: string;
  private readonly host: string;
  private readonly sharedBuffers: string;
  private readonly idleInTransactionTimeoutMs: number;
  private readonly databases = new Map<string, Database>();
  private readonly registry = new Mutex();
  private readonly connections = new Set<Connection>();
  private listener: net.Server | null = null;
  private admin: Database | null = null;
  private isStopping = false;
  readonly log: PgliteServerLog;
  port = 0;

  constructor(private readonly options: PgliteServerOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.host = options.host ?? '127.0.0.1';
    this.sharedBuffers = options.sharedBuffers ?? '16MB';
    this.idleInTransactionTimeoutMs = options.idleInTransactionTimeoutMs ?? 30_000;
    this.log = options.log ?? (() => {});
  }

  async start(): Promise<number> {
    fs.mkdirSync(path.join(this.dataDir, 'databases'), { recursive: true });
    await this.ensureTemplate();
    const adminDir = path.join(this.dataDir, ADMIN_DATABASE);
    if (!fs.existsSync(adminDir)) this.copyTemplate(adminDir);
    const adminDb = await this.openPglite(adminDir, undefined);
    this.admin = this.wrap(ADMIN_DATABASE, null, adminDir, adminDb);
    await this.collectGarbage();
    this.port = await this.listen(this.options.port ?? 0);
    return this.port;
  }

  /** CREATE DATABASE (in the admin database) unless it exists, and open it. */
  async ensureDatabase(name: string): Promise<void> {
    const admin = this.requireAdmin();
    if ((await this.lookupOid(name)) === null) {
      await admin.withLock(() => admin.db.exec(`CREATE DATABASE ${quoteIdent(name)}`));
    }
    await this.open(name);
  }

  /** The database a connection asked for; opened (and its directory created) on first use. */
  async open(name: string): Promise<Database> {
    const admin = this.requireAdmin();
    if (name === ADMIN_DATABASE || name === 'template1') return admin;
    if (this.isStopping) throw new Error('the server is shutting down');
    return this.registry.runExclusive(async () => {
      if (this.isStopping) throw new Error('the server is shutting down');
      const oid = await this.lookupOid(name);
      if (oid === null) throw new DatabaseNotFoundError(name);
      const current = this.databases.get(name);
      if (current && current.oid === oid && !current.isClosed) return current;
      if (current) await this.retire(current, 'the database was dropped and created again');
      const dir = this.databaseDir(name);
      if (readMarker(dir)?.oid !== oid) await this.createDatabaseDir(name, oid, dir);
      const database = this.wrap(name, oid, dir, await this.openPglite(dir, name));
      this.databases.set(name, database);
      this.log('info', 'embedded database opened', { database: name });
      return database;
    });
  }

  /** After the last connection to a database leaves: close it if it was dropped meanwhile. */
  onDisconnect(database: Database): void {
    if (this.isStopping || database === this.admin || database.connections.size > 0) return;
    void this.registry
      .runExclusive(async () => {
        if (database.isClosed || database.connections.size > 0) return;
        if ((await this.lookupOid(database.name)) === database.oid) return;
        await this.retire(database, 'the database was dropped');
      })
      .catch((error: Error) =>
        this.log('warn', 'could not close a dropped database', { error: error.message }),
      );
  }

  /** Closes every connection (rolling back open transactions) and every PGlite cleanly. */
  async stop(): Promise<void> {
    if (this.isStopping) return;
    this.isStopping = true;
    const listener = this.listener;
    const closed = listener
      ? new Promise<void>((resolve) => listener.close(() => resolve()))
      : Promise.resolve();
    // No FATAL message here: a pool that is ending its clients would report it as an error.
    await Promise.all([...this.connections].map((connection) => connection.close()));
    await closed;
    // Inside the registry lock, so no database is being opened meanwhile.
    await this.registry.runExclusive(async () => {
      const all = [...this.databases.values()];
      if (this.admin) all.push(this.admin);
      await Promise.all(all.map((database) => this.closeDatabase(database)));
      this.databases.clear();
    });
  }

  private wrap(name: string, oid: number | null, dir: string, db: PGlite): Database {
    return new Database(name, oid, dir, db, this.idleInTransactionTimeoutMs, this.log);
  }

  private requireAdmin(): Database {
    if (!this.admin) throw new Error('the embedded Postgres server is not started');
    return this.admin;
  }

  private async lookupOid(name: string): Promise<number | null> {
    const admin = this.requireAdmin();
    const result = await admin.withLock(() =>
      admin.db.query<{ oid: string }>(
        'SELECT oid::text AS oid FROM pg_database WHERE datname = $1 AND datallowconn',
        [name],
      ),
    );
    const row = result.rows[0];
    return row ? Number(row.oid) : null;
  }

  private async retire(database: Database, reason: string): Promise<void> {
    database.isClosed = true;
    this.databases.delete(database.name);
    await Promise.all(
      [...database.connections].map((connection) => {
        connection.terminate('57P01', `terminating connection: ${reason}`);
        return connection.close();
      }),
    );
    await this.closeDatabase(database);
    fs.rmSync(database.dir, { recursive: true, force: true });
    this.log('info', 'embedded database closed and removed', { database: database.name, reason });
  }

  private async closeDatabase(database: Database): Promise<void> {
    database.isClosed = true;
    try {
      await database.withLock(() => database.db.close());
    } catch (error) {
      this.log('warn', 'PGlite did not close cleanly', {
        database: database.name,
        error: (error as Error).message,
      });
    }
  }

  private async ensureTemplate(): Promise<void> {
    const template = path.join(this.dataDir, 'template');
    if (fs.existsSync(template)) return;
    const started = Date.now();
    const staging = `${template}.tmp-${randomBytes(4).toString('hex')}`;
    const db = new PGlite(staging);
    await db.waitReady;
    await db.close();
    fs.renameSync(staging, template);
    this.log('info', 'embedded Postgres cluster initialised', { ms: Date.now() - started });
  }

  private copyTemplate(target: string): void {
    const staging = `${target}.tmp-${randomBytes(4).toString('hex')}`;
    fs.cpSync(path.join(this.dataDir, 'template'), staging, { recursive: true });
    fs.renameSync(staging, target);
  }

  // Each database gets its own cluster in which a database of the same name is created, so
  // `current_database()` and Prisma's messages name the right database.
  private async createDatabaseDir(name: string, oid: number, dir: string): Promise<void> {
    fs.rmSync(dir, { recursive: true, force: true });
    const staging = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    fs.cpSync(path.join(this.dataDir, 'template'), staging, { recursive: true });
    const db = await this.openPglite(staging, undefined);
    try {
      await db.exec(`CREATE DATABASE ${quoteIdent(name)}`);
    } finally {
      await db.close();
    }
    const marker: Marker = { name, oid };
    fs.writeFileSync(path.join(staging, MARKER_FILE), `${JSON.stringify(marker)}\n`);
    fs.renameSync(staging, dir);
  }

  private async openPglite(dir: string, database: string | undefined): Promise<PGlite> {
    const startParams = [
      ...PGlite.defaultStartParams,
      '-c',
      `shared_buffers=${this.sharedBuffers}`,
    ];
    try {
      const db = new PGlite(dir, database ? { database, startParams } : { startParams });
      await db.waitReady;
      return db;
    } catch (error) {
      throw new Error(
        `could not open the embedded database in ${dir} (${(error as Error).message}). If it was ` +
          `written by another PGlite version or is damaged, delete ${this.dataDir} to start over.`,
      );
    }
  }

  // Directories of databases that were dropped (or half-created when a process died).
  private async collectGarbage(): Promise<void> {
    const root = path.join(this.dataDir, 'databases');
    for (const entry of fs.readdirSync(root)) {
      const dir = path.join(root, entry);
      const marker = readMarker(dir);
      const keep =
        marker !== null &&
        dir === this.databaseDir(marker.name) &&
        (await this.lookupOid(marker.name)) === marker.oid;
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const entry of fs.readdirSync(this.dataDir)) {
      if (entry.includes('.tmp-')) {
        fs.rmSync(path.join(this.dataDir, entry), { recursive: true, force: true });
      }
    }
  }

  private databaseDir(name: string): string {
    const safe = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) && name.length <= 100;
    return path.join(
      this.dataDir,
      'databases',
      safe ? name : `x-${Buffer.from(name).toString('hex')}`,
    );
  }

  private listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const listener = net.createServer((socket) => {
        if (this.isStopping) {
          socket.destroy();
          return;
        }
        const connection = new Connection(socket, this);
        this.connections.add(connection);
        socket.once('close', () => this.connections.delete(connection));
      });
      listener.maxConnections = 500;
      listener.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' && port !== 0) {
          this.log('warn', 'port taken, using any free port', { port });
          this.listen(0).then(resolve, reject);
          return;
        }
        reject(error);
      });
      listener.listen({ port, host: this.host, exclusive: true }, () => {
        this.listener = listener;
        const address = listener.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }
}

function readMarker(dir: string): Marker | null {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as Marker;
    return typeof marker.name === 'string' && typeof marker.oid === 'number' ? marker : null;
  } catch {
    return null;
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
