/**
 * The run command: one process with embedded or real Postgres, NATS or the in-process bus,
 * the five subgraphs and the gateway. `npm start` builds first, then runs this.
 */
import { mkdirSync } from 'node:fs';
import { findFreePort, migrateDeploy } from '@hub/dev-infra';
import { CACHE_PURGING_EVENT_TYPES } from '@hub/gateway';
import type { RunningService } from '@hub/service-kit';
import { resolveDatabases } from './databases.js';
import { debugErrorsOf, readEnv, type ServiceName } from './env.js';
import { prepareGatewayThread } from './gateway-thread.js';

const say = (line: string) => console.log(`[hub] ${line}`);
type DemoAccess = ReturnType<typeof import('@hub/members').demoAccess>;

async function main() {
  const startedAt = performance.now();
  const env = readEnv();
  mkdirSync(env.HUB_DATA_DIR, { recursive: true });
  // Started before the subgraphs' modules load (seconds of CPU on these machines): the
  // embedded PostgreSQL is a process of its own and the gateway loads on its own thread, so
  // the three proceed side by side. A failed start is reported below, inside the try.
  const gatewayThread = prepareGatewayThread();
  const databasesStarting = resolveDatabases(env);
  databasesStarting.catch(() => {});
  const [
    { createLogger, databaseTimeoutsOf, stopOnSignals },
    { demoAccess },
    { chooseBus },
    { loadDemoDataOnce },
    { SERVICES },
  ] = await Promise.all([
    import('@hub/service-kit'),
    import('@hub/members'),
    import('./bus.js'),
    import('./demo-data.js'),
    import('./services.js'),
  ]);
  const logger = createLogger({ name: 'hub', level: env.LOG_LEVEL });
  const stops: (() => Promise<void>)[] = [
    () => gatewayThread.terminate(),
    async () => (await databasesStarting.catch(() => null))?.stop(),
  ];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error) => logger.error({ err: error }, 'stop failed'));
  };
  stopOnSignals(stopAll, logger);

  const { debugErrors, isRefused } = debugErrorsOf(env);
  if (isRefused) {
    say(`HUB_DEBUG は無視します (HUB_DEBUG ignored: HOST ${env.HOST} is not loopback)`);
  } else if (debugErrors) {
    say('HUB_DEBUG: エラー応答に内部の詳細を含めます (error responses show internal details)');
  }

  try {
    const databases = await databasesStarting;
    say(`database: ${databases.describe}`);

    const migrated = await Promise.all(
      SERVICES.map((service) =>
        migrateDeploy({
          serviceDir: service.packageDir,
          databaseUrl: databases.urls[service.name],
        }),
      ),
    );
    say(
      migrated.every((outcome) => outcome === 'up-to-date')
        ? 'migrations up to date'
        : 'migrations applied',
    );

    if (env.HUB_DEMO_DATA) {
      const outcome = await loadDemoDataOnce({ dataDir: env.HUB_DATA_DIR, urls: databases.urls });
      say(
        {
          loaded: 'demo data loaded (first run)',
          updated: 'demo data updated to a newer version (demo rows restored)',
          'already-loaded': 'demo data already loaded (kept from an earlier run)',
        }[outcome],
      );
    }

    const bus = await chooseBus(env, logger);
    stops.push(bus.stop);
    say(`events: ${bus.describe}`);

    const running = {} as Record<ServiceName, RunningService>;
    for (const service of SERVICES) {
      const port = await findFreePort({ preferred: service.preferredPort, host: env.HOST });
      running[service.name] = await service.start({
        port,
        host: env.HOST,
        databaseUrl: databases.urls[service.name],
        databasePoolMax: databases.isEmbedded ? 2 : 10,
        databaseTimeouts: databaseTimeoutsOf(env),
        gatewaySecret: env.HUB_GATEWAY_SECRET,
        bus: bus.bus,
        logger: logger.child({ service: service.name }),
        debugErrors,
      });
      stops.push(() => running[service.name].stop());
      say(`${service.name.padEnd(16)} ${running[service.name].url}`);
    }

    const gateway = await gatewayThread.start({
      port: await findFreePort({ preferred: env.GATEWAY_PORT, host: env.HOST }),
      host: env.HOST,
      gatewaySecret: env.HUB_GATEWAY_SECRET,
      subgraphUrls: {
        spaces: running.spaces.url,
        members: running.members.url,
        events: running.events.url,
        matching: running.matching.url,
        'support-programs': running['support-programs'].url,
      },
      logLevel: env.LOG_LEVEL,
      debugErrors,
      rateLimits: {
        anonymousPerMinute: env.GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE,
        memberPerMinute: env.GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE,
      },
      corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS,
      deduplicateSubgraphFetches: env.GATEWAY_DEDUP_SUBGRAPH_FETCHES,
      ...(env.GATEWAY_RESPONSE_CACHE
        ? {
            responseCache: {
              ttlMs: env.GATEWAY_RESPONSE_CACHE_TTL_MS,
              events: bus.nats ?? ('forwarded' as const),
            },
          }
        : {}),
    });
    stops.push(() => gateway.stop());
    if (env.GATEWAY_RESPONSE_CACHE && !bus.nats) {
      // The gateway's thread cannot see the in-process bus: its cache hears of events from here.
      await bus.bus.subscribe({
        consumer: 'gateway-response-cache',
        types: [...CACHE_PURGING_EVENT_TYPES],
        handler: async (event) => gateway.forwardEvent(event.type),
      });
    }

    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const root = gateway.url.replace(/\/graphql$/, '/');
    say(`ready in ${seconds}s`);
    say(`GraphiQL:  ${root}`);
    say(`GraphQL:   ${gateway.url}`);
    // 公共施設一覧 CSV (docs/open-data.md); the demo data's 札幌市 has several open spaces.
    const openData = `${root}open-data/public-facilities/${env.HUB_DEMO_DATA ? '011002' : '{code}'}.csv`;
    say(`Open data: ${openData} (公共施設一覧; ?bom=1 for spreadsheets)`);
    say(
      `CORS:      ${env.CORS_ALLOWED_ORIGINS.length > 0 ? env.CORS_ALLOWED_ORIGINS.join(', ') : '(none: CORS_ALLOWED_ORIGINS is empty)'}`,
    );
    if (env.HUB_DEMO_DATA) printDemoAccess(demoAccess());
    say('Ctrl-C で停止します (press Ctrl-C to stop)');
  } catch (error) {
    console.error('[hub] start failed:', error instanceof Error ? error.message : error);
    await stopAll();
    process.exit(1);
  }
}

/** Demo accounts and the demo partner key (public demo values from the members seed). */
function printDemoAccess(access: DemoAccess): void {
  say(`デモアカウント (demo accounts) — password: ${access.password}`);
  for (const account of access.accounts) {
    const roles = account.roles.length > 0 ? ` [${account.roles.join(', ')}]` : '';
    say(`  ${account.email.padEnd(40)} ${account.displayName}${roles}`);
  }
  say(
    '  signIn(input: { email, password }) → … on SignInSuccess { session { accessToken } }; send it as "Authorization: Bearer <token>"',
  );
  for (const key of access.apiKeys) {
    say(`デモ連携キー (demo partner key): ${key.name}`);
    say(`  X-Api-Key: ${key.key}`);
    say(`  scopes: ${key.scopes.join(', ')}; purpose: ${key.purpose ?? '-'}`);
  }
}

main();
