import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDeploy } from './migrate.js';

// A stand-in prisma CLI (a real executable) that records how it was called. Running the real
// Prisma CLI needs a service with its schema; README.md has those measurements.
let serviceDir: string;

beforeAll(() => {
  serviceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-infra-migrate-'));
  fs.mkdirSync(path.join(serviceDir, 'node_modules', '.bin'), { recursive: true });
});

afterAll(() => {
  fs.rmSync(serviceDir, { recursive: true, force: true });
});

function fakePrisma(script: string): void {
  const bin = path.join(serviceDir, 'node_modules', '.bin', 'prisma');
  fs.writeFileSync(bin, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(bin, 0o755);
}

describe('migrateDeploy', () => {
  it('runs `prisma migrate deploy` in the service folder with DATABASE_URL and the preload', async () => {
    fakePrisma('printf "%s|%s|%s|%s" "$*" "$DATABASE_URL" "$PWD" "$NODE_OPTIONS" > called.txt');
    await migrateDeploy({ serviceDir, databaseUrl: 'postgresql://u@127.0.0.1:1/spaces' });
    const [args, url, cwd, nodeOptions] = fs
      .readFileSync(path.join(serviceDir, 'called.txt'), 'utf8')
      .split('|');
    expect(args).toBe('migrate deploy');
    expect(url).toBe('postgresql://u@127.0.0.1:1/spaces');
    expect(fs.realpathSync(cwd ?? '')).toBe(fs.realpathSync(serviceDir));
    expect(nodeOptions).toMatch(/--import=file:.*prisma-cli-preload\.js/);
  });

  it('throws with the CLI output when it fails', async () => {
    fakePrisma('echo "Error: P3009 migrate found failed migrations" >&2; exit 1');
    await expect(
      migrateDeploy({ serviceDir, databaseUrl: 'postgresql://u@127.0.0.1:1/spaces' }),
    ).rejects.toThrow(/migrate deploy failed[\s\S]*P3009 migrate found failed migrations/);
  });

  it('says where it looked when the service has no prisma CLI', async () => {
    await expect(
      migrateDeploy({ serviceDir: os.tmpdir(), databaseUrl: 'postgresql://u@127.0.0.1:1/x' }),
    ).rejects.toThrow(/prisma CLI not found at/);
  });
});
