import net from 'node:net';

/** Ports of the shared development/CI servers; embedded mode must never take them. */
export const RESERVED_PORTS: ReadonlySet<number> = new Set([5432, 4222]);

export type FindFreePortOptions = { preferred?: number; host?: string };

/**
 * `preferred` if nothing listens on it, else a port the OS assigns. Never returns a port that
 * accepts connections or one of RESERVED_PORTS. (A port can still be taken between this call
 * and its use; callers that bind themselves should retry on EADDRINUSE.)
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const preferred = options.preferred;
  if (preferred !== undefined && preferred > 0 && !RESERVED_PORTS.has(preferred)) {
    if (await isPortFree(preferred, host)) return preferred;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindAndRelease(0, host);
    if (port !== null && !RESERVED_PORTS.has(port) && (await isPortFree(port, host))) return port;
  }
  throw new Error(`could not find a free TCP port on ${host}`);
}

/** True when a TCP connection to host:port is accepted within timeoutMs (default 1000). */
export function isTcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reachable: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(reachable);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// Binding alone is not proof: a server on another address family or on the wildcard address
// may still answer on the loopback address, so a port only counts as free if both the bind
// succeeds and nothing accepts a connection on it.
async function isPortFree(port: number, host: string): Promise<boolean> {
  if ((await bindAndRelease(port, host)) === null) return false;
  const probes = [host];
  if (host === '127.0.0.1' || host === 'localhost') probes.push('::1');
  for (const probe of probes) {
    if (await isTcpReachable(probe, port, 300)) return false;
  }
  return true;
}

function bindAndRelease(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}
