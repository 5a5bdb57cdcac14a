/**
 * What a request costs by the way it names its operation: text (cached parse), a new text each
 * time (parse, validation and query plan every time), an APQ hash, a trusted documentId, a
 * trusted text. One process: the gateway, three small in-process subgraphs (test/support) and
 * the client, so CPU per request is the whole process's; the variants differ only in the
 * gateway's work, so the differences are the gateway's.
 *
 *   pnpm --filter @hub/gateway exec tsx scripts/bench-persisted-documents.ts   # BENCH_REQUESTS=3000
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTestGateway,
  startTestSubgraphSet,
  type TestGateway,
} from '../test/support/test-gateway.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const QUERY = `query SpacesWithEvents { spaces { id name operator { name } upcomingEvents { title } } }`;
const HASH = createHash('sha256').update(QUERY).digest('hex');

type Variant = { name: string; gateway: 'off' | 'strict'; body: (index: number) => unknown };

const VARIANTS: Variant[] = [
  {
    name: 'text, a new one each time (no cache hit)',
    gateway: 'off',
    body: (i) => ({ query: `${QUERY} # ${i}` }),
  },
  { name: 'text, the same each time', gateway: 'off', body: () => ({ query: QUERY }) },
  {
    name: 'APQ hash alone (registered)',
    gateway: 'off',
    body: () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }),
  },
  { name: 'strict: documentId', gateway: 'strict', body: () => ({ documentId: `sha256:${HASH}` }) },
  { name: 'strict: the trusted text', gateway: 'strict', body: () => ({ query: QUERY }) },
];

async function post(gateway: TestGateway, body: unknown): Promise<void> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"'))
    throw new Error(`${response.status} ${text}`);
}

async function main() {
  const directory = await mkdtemp(join(tmpdir(), 'hub-bench-trusted-'));
  await writeFile(join(directory, 'web.json'), JSON.stringify({ [`sha256:${HASH}`]: QUERY }));
  const subgraphs = await startTestSubgraphSet();
  const limits = { rateLimits: { anonymousPerMinute: 1e9 } };
  const gateways = {
    off: await startTestGateway(subgraphs.all, limits),
    strict: await startTestGateway(subgraphs.all, {
      ...limits,
      trustedDocuments: { mode: 'strict', path: join(directory, 'web.json') },
    }),
  };
  try {
    // Registers the hash, fills the caches, warms the JIT.
    await post(gateways.off, {
      query: QUERY,
      extensions: { persistedQuery: { version: 1, sha256Hash: HASH } },
    });
    for (const variant of VARIANTS) {
      for (let i = 0; i < 300; i += 1) await post(gateways[variant.gateway], variant.body(-i - 1));
    }
    console.log(
      `${REQUESTS} sequential requests per variant; CPU of the whole process per request`,
    );
    console.log('| how the operation is named | µs CPU / request | µs wall / request |');
    console.log('|---|---:|---:|');
    for (const variant of VARIANTS) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < REQUESTS; i += 1) await post(gateways[variant.gateway], variant.body(i));
      const wall = ((performance.now() - started) * 1000) / REQUESTS;
      const used = process.cpuUsage(cpu);
      const perRequest = (used.user + used.system) / REQUESTS;
      console.log(`| ${variant.name} | ${perRequest.toFixed(0)} | ${wall.toFixed(0)} |`);
    }
  } finally {
    await Promise.all([gateways.off.stop(), gateways.strict.stop()]);
    await subgraphs.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
