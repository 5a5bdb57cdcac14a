import net from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { findFreePort, isTcpReachable } from './ports.js';

const servers: net.Server[] = [];

function listen(host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    server.once('error', reject);
    server.listen({ host, port }, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
});

describe('findFreePort', () => {
  it('never returns a port something listens on, even when asked for it', async () => {
    const taken = await listen('127.0.0.1');
    const port = await findFreePort({ preferred: taken });
    expect(port).not.toBe(taken);
    expect(await isTcpReachable('127.0.0.1', port, 300)).toBe(false);
    // and the returned port can actually be bound
    await expect(listen('127.0.0.1', port)).resolves.toBe(port);
  });

  it('treats a port bound on the wildcard address as taken', async () => {
    const taken = await listen('0.0.0.0');
    expect(await findFreePort({ preferred: taken })).not.toBe(taken);
  });

  it('returns the preferred port when it is free', async () => {
    const free = await findFreePort();
    expect(await findFreePort({ preferred: free })).toBe(free);
  });

  it('never hands out the shared Postgres or NATS ports', async () => {
    expect(await findFreePort({ preferred: 5432 })).not.toBe(5432);
    expect(await findFreePort({ preferred: 4222 })).not.toBe(4222);
  });
});

describe('isTcpReachable', () => {
  it('is true for a listening port and false for a closed one', async () => {
    const port = await listen('127.0.0.1');
    expect(await isTcpReachable('127.0.0.1', port)).toBe(true);
    const closed = await findFreePort();
    expect(await isTcpReachable('127.0.0.1', closed, 500)).toBe(false);
  });
});
