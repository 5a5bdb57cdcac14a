import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findNatsServerBinary, findOrStartNats, isNatsReachable, parseNatsUrls } from './nats.js';
import { findFreePort, isTcpReachable } from './ports.js';

let dataDir: string;
const sharedNatsUp = await isNatsReachable('127.0.0.1', 4222);

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-infra-nats-'));
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('findOrStartNats', () => {
  it('finds the nats-server binary here', () => {
    expect(findNatsServerBinary()).toMatch(/nats-server$/);
  });

  it('spawns nats-server with JetStream when the URL is unreachable, and stops it', async () => {
    const deadPort = await findFreePort();
    const nats = await findOrStartNats({ url: `nats://127.0.0.1:${deadPort}`, dataDir, port: 0 });
    try {
      expect(nats.mode).toBe('spawned');
      const [server] = parseNatsUrls(nats.url ?? '');
      expect(server?.port).not.toBe(4222);
      expect(await isTcpReachable('127.0.0.1', server?.port ?? 0)).toBe(true);
      expect(await isNatsReachable('127.0.0.1', server?.port ?? 0)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'nats'))).toBe(true);

      // A running server at the given URL is used as it is.
      const again = await findOrStartNats({ url: nats.url ?? '', dataDir: `${dataDir}-unused` });
      expect(again).toMatchObject({ mode: 'external', url: nats.url });
    } finally {
      await nats.stop();
    }
    const [server] = parseNatsUrls(nats.url ?? '');
    expect(await isTcpReachable('127.0.0.1', server?.port ?? 0, 500)).toBe(false);
  }, 30_000);

  (sharedNatsUp ? it : it.skip)('uses the shared NATS at 127.0.0.1:4222 as external', async () => {
    const nats = await findOrStartNats({ url: 'nats://127.0.0.1:4222', dataDir });
    expect(nats).toMatchObject({ mode: 'external', url: 'nats://127.0.0.1:4222' });
    await nats.stop(); // must leave the shared server alone
    expect(await isNatsReachable('127.0.0.1', 4222)).toBe(true);
  });

  it('reports none when nothing answers and no binary may be used', async () => {
    const deadPort = await findFreePort();
    const nats = await findOrStartNats({
      url: `nats://127.0.0.1:${deadPort}`,
      dataDir,
      binary: null,
    });
    expect(nats).toMatchObject({ mode: 'none', url: null });
  });
});
