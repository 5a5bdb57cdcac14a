import { writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';

/** Writes the subgraph SDL that composition reads; committed so schema changes show in review. */
export function writeSubgraphSchema(schema: GraphQLSchema, path: string): void {
  writeFileSync(path, `${printSubgraphSchema(schema).trim()}\n`);
}
