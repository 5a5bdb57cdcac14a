import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (package `chromium`): test tools' own browser downloads cannot work here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// As the machines' probe starts it: no sandbox as root, no GPU, and none of the background
// connections this closed network would refuse (updates, sync, QUIC).
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type HeadlessChromium = { context: BrowserContext; close(): Promise<void> };

/**
 * Headless Chromium with a fresh profile. Fails, never skips, when Chromium is missing: the
 * test command installs it (`node scripts/ensure-chromium.mjs`).
 */
export async function launchChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Debian's Chromium is missing at ${CHROMIUM_PATH}: run \`node scripts/ensure-chromium.mjs\` as root (npm test does) or \`sudo apt-get install -y chromium\``,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'hub-chromium-'));
  // Playwright passes the profile as --user-data-dir and --headless itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type PageServer = { port: number; close(): Promise<void> };

/** A tiny web server for one page, on a free loopback port: an origin of its own. */
export async function servePage(html: string): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
