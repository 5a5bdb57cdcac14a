import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { PrismaConfig } from 'prisma';

/**
 * The Prisma CLI configuration every service uses. Prisma's native schema engine cannot be
 * downloaded on our machines, so the CLI runs its WebAssembly engine through the pg driver
 * adapter (`engine: 'js'`), with two upstream adapter bugs worked around (TOOLCHAIN.md).
 */
export function defineServiceConfig(
  options: { schema?: string; migrations?: string } = {},
): PrismaConfig {
  return {
    experimental: { adapter: true },
    engine: 'js',
    schema: options.schema ?? 'prisma/schema',
    migrations: { path: options.migrations ?? 'prisma/migrations' },
    adapter: async () => new MigrationAdapter(databaseUrlForCli()),
  } satisfies PrismaConfig;
}

// The CLI is a developer tool run by hand or by the launcher; it reads DATABASE_URL directly
// and only when a command actually needs a database (`generate` does not).
function databaseUrlForCli(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must be set for this prisma command');
  return url;
}

/** pg reports catalog columns of type `name` (19) and `"char"` (18), which the adapter
 * cannot map (prisma/orm#27403); report them as `text` (25) — the values are strings anyway. */
const TEXT_OID = 25;
const CATALOG_OIDS = new Set([18, 19]);

function asTextColumns<R>(result: R): R {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) {
    if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

class CatalogTextClient extends pg.Client {
  // pg-pool calls query with a callback; the adapter's own clients use promises.
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) =>
        last(error, error ? result : asTextColumns(result));
      // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloads
      return (super.query as any)(...args);
    }
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloads
    const returned = (super.query as any)(...args);
    return typeof returned?.then === 'function' ? returned.then(asTextColumns) : returned;
  }
}

function poolFor(config: pg.PoolConfig): pg.Pool {
  // allowExitOnIdle: the CLI never ends our pool; idle clients must not keep it alive.
  return new pg.Pool({
    ...config,
    Client: CatalogTextClient,
    max: 4,
    allowExitOnIdle: true,
    idleTimeoutMillis: 200,
  });
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  onError(error: unknown): never;
};

/**
 * The stock adapter runs a migration by splitting its text on every `;` and sending the pieces
 * one by one, each on whichever pool connection is free: a `;` in a comment or a string literal
 * breaks the migration (`syntax error at or near …`), and a failure halfway leaves the first
 * statements applied. Send the script whole instead, on one connection: the server parses it
 * (comments, quotes, dollar quotes) and runs it as one implicit transaction — exactly what the
 * tests do when they build a database from the same files (packages/testing).
 */
function runScriptsWhole<A extends object>(adapter: A, pool: pg.Pool): A {
  const runner = adapter as unknown as ScriptRunner;
  runner.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

class MigrationAdapter extends PrismaPg {
  private readonly pool: pg.Pool;

  constructor(private readonly url: string) {
    const pool = poolFor({ connectionString: url });
    super(pool);
    this.pool = pool;
  }

  override async connect() {
    return runScriptsWhole(await super.connect(), this.pool);
  }

  /** The stock shadow database reuses the main one when given a URL, and cannot drop it
   * while its pool is open: create a fresh database, connect with discrete fields, and on
   * dispose close the pool first, then drop it. */
  override async connectToShadowDb() {
    const target = new URL(this.url);
    const shadowName = `prisma_shadow_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: this.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${shadowName}"`);
    } finally {
      await admin.end();
    }
    const pool = poolFor({
      host: target.hostname,
      port: Number(target.port || 5432),
      user: decodeURIComponent(target.username) || undefined,
      password: decodeURIComponent(target.password) || undefined,
      database: shadowName,
    });
    const adapter = runScriptsWhole(await new PrismaPg(pool).connect(), pool);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pool.end();
      const dropper = new pg.Client({ connectionString: this.url });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    };
    return adapter;
  }
}
