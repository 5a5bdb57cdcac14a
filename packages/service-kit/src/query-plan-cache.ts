import { QueryCompiler } from '@prisma/client/runtime/query_compiler_bg.postgresql.mjs';

/**
 * Remembers the query plans Prisma's WebAssembly query compiler makes for reads.
 *
 * Prisma 6.19 with `engineType = "client"` compiles every query it runs, and the compiler
 * costs more CPU than anything else in a subgraph call (a fifth of a simple list's busy time,
 * docs/performance.md). Prisma 7.4 caches plans by query shape, but Prisma 7 does not run here
 * (docs/TOOLCHAIN facts); until it does, this caches them by the exact request: the plan of a
 * request is a function of the request and the compiler's schema alone (values are inlined,
 * defaults such as `uuid()` or `now()` are left to the executor as generator calls), so an
 * identical request may reuse it. Hot read paths repeat identical requests (a list's first
 * page, the same relation for the same rows); ones that differ only in values miss and cost
 * what they cost before.
 *
 * Only reads are cached (writes carry their data and rarely repeat), only requests up to
 * MAX_REQUEST_LENGTH characters, and at most MAX_PLANS plans per compiler, least recently used
 * first out. Each client's compiler has its own cache, so clients of different schemas in one
 * process (the launcher's five services) never share plans.
 */
export type QueryPlanCacheStats = { hits: number; misses: number };

const MAX_PLANS = 500;
const MAX_REQUEST_LENGTH = 4_096;
// The JSON protocol request Prisma serialises: `{"modelName":"Space","action":"findMany",…}`
// (raw queries have no model). Reads and `$queryRaw` (its SQL and values are the request);
// model writes and `$executeRaw` are compiled every time.
const CACHEABLE_READ =
  /^\{(?:"modelName":"[^"]*",)?"action":"(?:findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|aggregate|groupBy|queryRaw)"/;

const stats: QueryPlanCacheStats = { hits: 0, misses: 0 };
const caches = new WeakMap<object, Map<string, unknown>>();
let isInstalled = false;

/**
 * Installs the cache on the query compiler runtime of this process's generated clients
 * (idempotent). connectPrisma does it; a test asserts plans are reused, so a Prisma upgrade
 * that moves the compiler makes it fail instead of silently doing nothing.
 */
export function installQueryPlanCache(): void {
  if (isInstalled) return;
  isInstalled = true;
  const compile = QueryCompiler.prototype.compile;
  QueryCompiler.prototype.compile = function cachedCompile(this: object, request: string) {
    if (request.length > MAX_REQUEST_LENGTH || !CACHEABLE_READ.test(request)) {
      return compile.call(this, request);
    }
    let plans = caches.get(this);
    if (!plans) {
      plans = new Map();
      caches.set(this, plans);
    }
    const cached = plans.get(request);
    if (cached !== undefined) {
      stats.hits += 1;
      // Map keeps insertion order: re-inserting marks the plan most recently used.
      plans.delete(request);
      plans.set(request, cached);
      return cached;
    }
    stats.misses += 1;
    const plan = compile.call(this, request);
    plans.set(request, plan);
    if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value as string);
    return plan;
  };
}

/** Hits and misses since the process started (all compilers), for tests and diagnostics. */
export function queryPlanCacheStats(): QueryPlanCacheStats {
  return { ...stats };
}
