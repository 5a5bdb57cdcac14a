// The only module of this package that reads process.env (docs/CODE_STYLE.md).

export type InfraEnv = {
  /** Directories searched for a `nats-server` binary. */
  path: string[];
  natsUrl: string | undefined;
  testDatabaseUrl: string | undefined;
  pgHost: string | undefined;
  pgPort: number | undefined;
  pgUser: string | undefined;
  pgPassword: string | undefined;
};

export function readInfraEnv(): InfraEnv {
  const env = process.env;
  const pgPort = nonEmpty(env.PGPORT);
  if (pgPort !== undefined && !/^\d+$/.test(pgPort)) {
    throw new Error(`PGPORT must be a port number, got "${pgPort}"`);
  }
  return {
    path: (env.PATH ?? '').split(':').filter((dir) => dir.length > 0),
    natsUrl: nonEmpty(env.NATS_URL),
    testDatabaseUrl: nonEmpty(env.TEST_DATABASE_URL),
    pgHost: nonEmpty(env.PGHOST),
    pgPort: pgPort === undefined ? undefined : Number(pgPort),
    pgUser: nonEmpty(env.PGUSER),
    pgPassword: nonEmpty(env.PGPASSWORD),
  };
}

/** The environment for a child process: ours plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** NODE_OPTIONS with extra flags appended (keeps what the user already set). */
export function nodeOptionsWith(extra: string): string {
  const current = nonEmpty(process.env.NODE_OPTIONS);
  return current ? `${current} ${extra}` : extra;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
