import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NATS_URL, findOrStartNats } from '@hub/dev-infra';
import { connectNatsBus, createInProcessBus, type EventBus } from '@hub/event-bus';
import type { Logger } from '@hub/service-kit';
import { SERVICE_NAMES, type TLauncherEnv } from './env.js';

export type LauncherBus = {
  bus: EventBus;
  describe: string;
  /** The NATS the gateway's response cache listens to for purges; absent for the in-process bus. */
  nats?: { natsUrl: string; namespace: string };
  stop(): Promise<void>;
};

/**
 * NATS JetStream when one is reachable (NATS_URL) or a nats-server binary can be started;
 * otherwise the in-process bus, which only works because all six servers share this process.
 */
export async function chooseBus(env: TLauncherEnv, logger: Logger): Promise<LauncherBus> {
  if (env.HUB_BUS !== 'in-process') {
    // Unset NATS_URL means "the usual local server, if one runs"; a spawned one keeps its
    // data under <data dir>/nats.
    const nats = await findOrStartNats({
      url: env.NATS_URL ?? DEFAULT_NATS_URL,
      dataDir: env.HUB_DATA_DIR,
    });
    if (nats.url) {
      const namespace = env.HUB_NATS_NAMESPACE ?? instanceNamespace(env.HUB_DATA_DIR);
      const bus = await connectNatsBus({
        namespace,
        url: nats.url,
        name: 'coworking-hub',
        streams: [...SERVICE_NAMES],
        logger,
      });
      const how = nats.mode === 'spawned' ? 'started nats-server' : 'external';
      return {
        bus,
        describe: `NATS JetStream at ${nats.url} (${how}; streams ${namespace}.hub.*)`,
        nats: { natsUrl: nats.url, namespace },
        async stop() {
          await bus.close();
          await nats.stop();
        },
      };
    }
    if (env.HUB_BUS === 'nats') {
      throw new Error(
        'HUB_BUS=nats but no NATS server is reachable and no nats-server binary was found',
      );
    }
  }
  const bus = createInProcessBus({ logger });
  return {
    bus,
    describe: `in-process event bus (${env.HUB_BUS === 'in-process' ? 'HUB_BUS=in-process' : 'no NATS found'}; events are not durable across restarts)`,
    stop: () => bus.close(),
  };
}

/**
 * The event streams belong to this data folder: two hubs with different data (say, a dev run
 * and a benchmark) on one shared NATS must not consume each other's events, while a restart
 * of the same hub resumes its durable consumers. The id is kept beside the data.
 */
function instanceNamespace(dataDir: string): string {
  const file = join(dataDir, 'nats-namespace');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const namespace = `hub${randomBytes(4).toString('hex')}`;
  writeFileSync(file, `${namespace}\n`);
  return namespace;
}
