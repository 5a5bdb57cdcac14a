// Hive Gateway as `npm run bench gateways` runs it: its default configuration, plus only what
// the hub's subgraphs require of any gateway in front of them — the gateway credential and the
// signed caller identity on every subgraph call (the bench signs that header itself, since
// Hive does not verify the hub's access tokens). HIVE_BENCH_DEDUP=off is the second run: its
// in-flight deduplication of subgraph requests, on by default, turned off as its docs show
// (https://the-guild.dev/graphql/hive/docs/gateway/other-features/performance/deduplicate-request).
const secret = process.env.HUB_GATEWAY_SECRET;
if (!secret) throw new Error('HUB_GATEWAY_SECRET is required');

export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      'x-hub-gateway-credential': secret,
      'x-hub-identity': request.headers.get('x-hub-identity'),
    }),
  },
  ...(process.env.HIVE_BENCH_DEDUP === 'off' && {
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  }),
};
