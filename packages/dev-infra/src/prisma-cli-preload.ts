// Loaded into the Prisma CLI by migrateDeploy (node --import). Prisma 6.19's WebAssembly
// schema engine arms a 10 s setTimeout during `migrate deploy` (its advisory-lock timeout)
// and never clears it, so every run idles 10 s after "All migrations have been successfully
// applied" before the process can exit (measured: 10.8 s vs 0.8 s, same on real Postgres).
// Unref such timers: the database sockets still keep the CLI alive while it works.
const originalSetTimeout = globalThis.setTimeout;

function patchedSetTimeout(
  this: unknown,
  callback: (...args: unknown[]) => void,
  ms?: number,
  ...args: unknown[]
): ReturnType<typeof originalSetTimeout> {
  const timer = originalSetTimeout(() => callback.apply(this, args), ms);
  if ((ms ?? 0) >= 10_000 && new Error().stack?.includes('wasm://')) timer.unref();
  return timer;
}

// Keeps setTimeout's own properties (e.g. its util.promisify implementation).
Object.defineProperties(patchedSetTimeout, Object.getOwnPropertyDescriptors(originalSetTimeout));
globalThis.setTimeout = patchedSetTimeout as typeof setTimeout;

export {};
