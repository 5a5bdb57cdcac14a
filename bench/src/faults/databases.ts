import { join } from 'node:path';
import { databaseUrl, ensureDatabase, migrateDeploy } from '@hub/dev-infra';
import pg from 'pg';

export const SERVICES = ['spaces', 'members', 'events', 'matching', 'support-programs'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Set on every connection of the harness, so the backend-termination fault spares them. */
export const HARNESS_APPLICATION_NAME = 'hub-faults-harness';

/**
 * The run's databases on the machine's PostgreSQL, all named `<prefix>_…` with a prefix unique
 * to the run (others' tests share the server). Migrations run once, into one template per
 * service; each experiment gets fresh copies (CREATE DATABASE … TEMPLATE, a file copy), so
 * experiments never see each other's rows and no experiment pays for migrations.
 */
export class RunDatabases {
  readonly #created = new Set<string>();

  constructor(
    readonly prefix: string,
    private readonly adminUrl: string,
    private readonly root: string,
  ) {}

  #name(tag: string, service: ServiceName): string {
    return `${this.prefix}_${tag}_${service.replaceAll('-', '_')}`;
  }

  async createTemplates(): Promise<void> {
    await Promise.all(
      SERVICES.map(async (service) => {
        const name = this.#name('tpl', service);
        this.#created.add(name);
        const url = await ensureDatabase(this.adminUrl, name);
        await migrateDeploy({ serviceDir: join(this.root, 'services', service), databaseUrl: url });
      }),
    );
  }

  /** Fresh databases for one experiment, copied from the migrated templates. */
  async createFor(tag: string): Promise<Record<ServiceName, string>> {
    const urls = {} as Record<ServiceName, string>;
    await this.#admin(async (client) => {
      for (const service of SERVICES) {
        const name = this.#name(tag, service);
        this.#created.add(name);
        await client.query(
          `CREATE DATABASE ${quote(name)} TEMPLATE ${quote(this.#name('tpl', service))}`,
        );
        urls[service] = databaseUrl(this.adminUrl, name);
      }
    });
    return urls;
  }

  /** Names of an experiment's databases (what the backend-termination fault may touch). */
  namesFor(tag: string, services: readonly ServiceName[]): string[] {
    return services.map((service) => this.#name(tag, service));
  }

  async dropFor(tag: string): Promise<void> {
    await this.#drop(SERVICES.map((service) => this.#name(tag, service)));
  }

  /** Drops every database this run created (WITH FORCE: a wedged service may still hold one). */
  async dropAll(): Promise<void> {
    await this.#drop([...this.#created]);
  }

  async #drop(names: string[]): Promise<void> {
    await this.#admin(async (client) => {
      for (const name of names) {
        // Only names this run created: never another run's or another engineer's database.
        if (!this.#created.has(name)) continue;
        await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
        this.#created.delete(name);
      }
    });
  }

  async #admin(work: (client: pg.Client) => Promise<void>): Promise<void> {
    const client = new pg.Client({
      connectionString: this.adminUrl,
      application_name: HARNESS_APPLICATION_NAME,
    });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A small pool for the harness's own reads, marked so the termination fault spares it. */
export function harnessPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: HARNESS_APPLICATION_NAME,
  });
  pool.on('error', () => {});
  return pool;
}
