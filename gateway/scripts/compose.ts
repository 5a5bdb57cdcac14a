// `pnpm generate`: composes the five committed subgraph SDLs into gateway/supergraph.graphql,
// then prints the API schema clients see into gateway/public-schema.graphql and Apollo Client's
// possibleTypes for it into gateway/possible-types.json.
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import {
  composeSupergraph,
  GATEWAY_DIR,
  readServiceSdls,
  SUPERGRAPH_PATH,
} from '../src/compose-supergraph.js';
import { POSSIBLE_TYPES_PATH, printPossibleTypes } from '../src/possible-types.js';
import { PUBLIC_SCHEMA_PATH, printPublicSchema } from '../src/public-schema.js';

async function main(): Promise<number> {
  let subgraphs: Awaited<ReturnType<typeof readServiceSdls>>;
  try {
    subgraphs = await readServiceSdls();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  const result = composeSupergraph(subgraphs);
  if (!result.isOk) {
    process.stderr.write(`Supergraph composition failed (${result.errors.length} errors):\n`);
    for (const error of result.errors) process.stderr.write(`  [${error.code}] ${error.message}\n`);
    return 1;
  }
  for (const hint of result.hints) process.stdout.write(`hint [${hint.code}] ${hint.message}\n`);

  await writeFile(SUPERGRAPH_PATH, result.supergraphSdl);
  const names = subgraphs.map((subgraph) => subgraph.name).join(', ');
  process.stdout.write(`Wrote ${relative(GATEWAY_DIR, SUPERGRAPH_PATH)} from ${names}\n`);
  await writeFile(PUBLIC_SCHEMA_PATH, printPublicSchema(result.supergraphSdl));
  process.stdout.write(`Wrote ${relative(GATEWAY_DIR, PUBLIC_SCHEMA_PATH)}\n`);
  await writeFile(POSSIBLE_TYPES_PATH, printPossibleTypes(result.supergraphSdl));
  process.stdout.write(`Wrote ${relative(GATEWAY_DIR, POSSIBLE_TYPES_PATH)}\n`);
  return 0;
}

process.exitCode = await main();
