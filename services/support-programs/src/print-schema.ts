// `pnpm generate`: prints this subgraph's SDL to schema.graphql for composition and review.
import { writeSubgraphSchema } from '@hub/service-kit';
import { schema } from './schema/index.js';

writeSubgraphSchema(schema, new URL('../schema.graphql', import.meta.url).pathname);
