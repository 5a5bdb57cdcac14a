import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '@hub/dev-infra';
import { SERVICES, type ServiceName } from './databases.js';
import type { HarnessNats } from './nats.js';
import { ManagedProcess, type StopOutcome, type UnexpectedExit } from './process.js';

export type Target = ServiceName | 'gateway';

/** The hub as the outside run ran it: each service and the gateway a process of its own. */
export type ProcessStack = {
  gatewayUrl: string;
  /** Each subgraph's `/graphql` URL. */
  serviceUrls: Record<ServiceName, string>;
  process(target: Target): ManagedProcess;
  /** Resolves once `/_readiness` answers 200 (for the gateway: with every subgraph ready). */
  waitReady(target: Target, timeoutMs?: number): Promise<void>;
  /** SIGTERM every process (SIGKILL after 5 s); says which had to be killed. */
  stop(): Promise<StopOutcome[]>;
  /** Exits the harness did not cause, of every process so far. */
  unexpectedExits(): UnexpectedExit[];
};

export type StackOptions = {
  root: string;
  logDir: string;
  databaseUrls: Record<ServiceName, string>;
  nats: HarnessNats;
  /** HUB_NATS_NAMESPACE: isolates the run's streams even on a shared NATS server. */
  natsNamespace: string;
  gatewaySecret: string;
};

export async function startProcessStack(options: StackOptions): Promise<ProcessStack> {
  const processes = new Map<Target, ManagedProcess>();
  const serviceUrls = {} as Record<ServiceName, string>;
  const origins = new Map<Target, string>();
  // Only what a service reads (its env.ts and the README's table), not the harness's own
  // environment: a DATABASE_URL or NATS_URL exported in the shell must not leak in.
  const base = {
    PATH: process.env.PATH,
    LOG_LEVEL: 'warn',
    HUB_GATEWAY_SECRET: options.gatewaySecret,
  };
  // Ports the OS picks, not fixed ones: another run of this harness may be going on beside us.
  const taken = new Set<number>();
  const freePort = async () => {
    for (;;) {
      const port = await findFreePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  for (const service of SERVICES) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    origins.set(service, origin);
    serviceUrls[service] = `${origin}/graphql`;
    processes.set(
      service,
      new ManagedProcess(
        service,
        process.execPath,
        [join(options.root, 'services', service, 'dist', 'index.js')],
        {
          ...base,
          PORT: String(port),
          DATABASE_URL: options.databaseUrls[service],
          NATS_URL: options.nats.url,
          HUB_NATS_NAMESPACE: options.natsNamespace,
        },
        join(options.logDir, `${service}.log`),
        options.root,
      ),
    );
  }
  const gatewayPort = await freePort();
  origins.set('gateway', `http://127.0.0.1:${gatewayPort}`);
  processes.set(
    'gateway',
    new ManagedProcess(
      'gateway',
      process.execPath,
      [join(options.root, 'gateway', 'dist', 'index.js')],
      {
        ...base,
        PORT: String(gatewayPort),
        SPACES_URL: serviceUrls.spaces,
        MEMBERS_URL: serviceUrls.members,
        EVENTS_URL: serviceUrls.events,
        MATCHING_URL: serviceUrls.matching,
        SUPPORT_PROGRAMS_URL: serviceUrls['support-programs'],
        // All sign-ups come from one address (the harness): lift the per-address limits, or
        // the gateway would answer 429 after 300 a minute and the load would measure that.
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000000',
        GATEWAY_MEMBER_RATE_LIMIT_PER_MINUTE: '100000000',
      },
      join(options.logDir, 'gateway.log'),
      options.root,
    ),
  );

  const stack: ProcessStack = {
    gatewayUrl: `${origins.get('gateway')}/graphql`,
    serviceUrls,
    process: (target) => processes.get(target)!,
    async waitReady(target, timeoutMs = 30_000) {
      const query = target === 'gateway' ? '?subgraphs=required' : '';
      const url = `${origins.get(target)}/_readiness${query}`;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!processes.get(target)!.isRunning) {
          throw new Error(`${target} exited while starting; see ${options.logDir}`);
        }
        const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        await sleep(100);
      }
      throw new Error(`${target} was not ready within ${timeoutMs} ms; see ${options.logDir}`);
    },
    unexpectedExits: () => [...processes.values()].flatMap((process) => process.unexpectedExits),
    async stop() {
      // The gateway first, so nothing calls a subgraph that is shutting down.
      const gateway = await processes.get('gateway')!.stop();
      const services = await Promise.all(SERVICES.map((service) => processes.get(service)!.stop()));
      return [gateway, ...services];
    },
  };
  try {
    for (const service of SERVICES) processes.get(service)!.start();
    await Promise.all(SERVICES.map((service) => stack.waitReady(service)));
    processes.get('gateway')!.start();
    await stack.waitReady('gateway');
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Origin (scheme, host, port) of a target, for its `/_readiness` and `/_health`. */
export function originOf(stack: ProcessStack, target: Target): string {
  return new URL(target === 'gateway' ? stack.gatewayUrl : stack.serviceUrls[target]).origin;
}
