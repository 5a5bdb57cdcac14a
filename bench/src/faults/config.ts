/**
 * The fault benchmark's knobs, all from the environment (see README "Benchmark"). Defaults keep
 * a full run to a few minutes on a 2-core machine; FAULTS_OPERATIONS=2000 FAULTS_RATE=25
 * reproduces the outside run's load (each experiment then lasts 80 s).
 */
export type FaultsConfig = {
  /** Sign-ups per experiment; unset = as many as the experiment's faults need at FAULTS_RATE. */
  operations: number | undefined;
  /** Sign-ups a second through the gateway (open loop: a slow answer does not slow the load). */
  rate: number;
  /** Experiment names (see EXPERIMENTS), in order. */
  experiments: string[];
  /** Seeds the fault timings (which moment a kill or a termination lands on). */
  seed: number;
  /** Every n-th acknowledged sign-up is then erased (eraseMyAccount), for the erasure fan-out. */
  eraseEvery: number;
  /** Seconds after the faults end (and the load) within which every effect must appear. */
  settleSeconds: number;
  /** A service must answer GraphQL again within this many ms after the faults end. */
  recoveryMs: number;
  /** Keep the processes' logs (their folder is printed); otherwise they are deleted. */
  keepLogs: boolean;
  /** Services whose PostgreSQL backends the pg-terminate experiment ends. */
  pgServices: string[];
  /** PostgreSQL server (trust auth) the harness creates its databases on. */
  postgresUrl: string;
};

export const DEFAULT_EXPERIMENTS = [
  'consumer-kill',
  'producer-kill',
  'nats-down-5',
  'nats-down-15',
  'nats-down-35',
  'pg-terminate',
];

export function readFaultsConfig(env: NodeJS.ProcessEnv = process.env): FaultsConfig {
  const number = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new Error(`${name} must be a number ≥ ${min} (got '${raw}')`);
    }
    return value;
  };
  const list = (name: string, fallback: string[]) =>
    env[name]
      ? env[name]
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : fallback;
  return {
    operations: env.FAULTS_OPERATIONS ? number('FAULTS_OPERATIONS', 0, 1) : undefined,
    rate: number('FAULTS_RATE', 25, 0.1),
    experiments: list('FAULTS_EXPERIMENTS', DEFAULT_EXPERIMENTS),
    seed: number('FAULTS_SEED', 7, 0),
    eraseEvery: number('FAULTS_ERASE_EVERY', 10, 1),
    settleSeconds: number('FAULTS_SETTLE_S', 30, 1),
    recoveryMs: number('FAULTS_RECOVERY_MS', 5000, 100),
    keepLogs: env.FAULTS_KEEP_LOGS === '1' || env.FAULTS_KEEP_LOGS === 'true',
    pgServices: list('FAULTS_PG_SERVICES', ['members']),
    postgresUrl: env.FAULTS_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  };
}

/** mulberry32: a tiny seeded generator, so a re-run injects its faults at the same moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
