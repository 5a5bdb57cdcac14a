/** The five subgraphs the gateway composes, by their federation names. */
export const SUBGRAPH_NAMES = [
  'spaces',
  'members',
  'events',
  'matching',
  'support-programs',
] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Routing URLs written into the committed supergraph: the docker-compose hostnames. At runtime
 * the gateway ignores them and uses the URL it was configured with for each subgraph.
 */
export const COMPOSE_ROUTING_URLS: Record<SubgraphName, string> = {
  spaces: 'http://spaces:4001/graphql',
  members: 'http://members:4002/graphql',
  events: 'http://events:4003/graphql',
  matching: 'http://matching:4004/graphql',
  'support-programs': 'http://support-programs:4005/graphql',
};
