import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  Kind,
  lexicographicSortSchema,
  parse,
  printSchema,
  type ScalarTypeDefinitionNode,
} from 'graphql';
import { pino } from 'pino';
import { type RunningGateway, startGateway } from '../src/app.js';
import { SUPERGRAPH_PATH } from '../src/compose-supergraph.js';
import { PUBLIC_SCHEMA_PATH, printPublicSchema } from '../src/public-schema.js';

const REGENERATE =
  'run `pnpm --filter @hub/gateway generate` and commit gateway/public-schema.graphql';
// What clients and code generators read to learn each scalar's format.
const SPECIFIED_BY = {
  Date: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
  JSON: 'https://datatracker.ietf.org/doc/html/rfc8259',
};

let supergraph: string;
let committed: string;
beforeAll(async () => {
  supergraph = await readFile(SUPERGRAPH_PATH, 'utf8');
  committed = await readFile(PUBLIC_SCHEMA_PATH, 'utf8').catch(() => {
    throw new Error(`${PUBLIC_SCHEMA_PATH} is missing: ${REGENERATE}`);
  });
});

describe('gateway/public-schema.graphql', () => {
  test('is the API schema of the committed supergraph, and printing it twice gives the same bytes', () => {
    const printed = printPublicSchema(supergraph);

    expect(committed === printed ? 'up to date' : `stale: ${REGENERATE}`).toBe('up to date');
    expect(printPublicSchema(supergraph)).toBe(printed);
  });

  test('has no federation types, directives or entity plumbing', () => {
    const document = parse(committed);
    const names = document.definitions.flatMap((definition) =>
      'name' in definition && definition.name ? [definition.name.value] : [],
    );

    expect(names.filter((name) => /^(join__|link__|_)/.test(name))).toEqual([]);
    expect(document.definitions.filter((d) => d.kind === Kind.DIRECTIVE_DEFINITION)).toEqual([]);
    expect(document.definitions.filter((d) => d.kind === Kind.SCHEMA_DEFINITION)).toEqual([]);
    expect(committed).not.toMatch(
      /@(join__|link|key|external|requires|provides|shareable|inaccessible|tag)\b/,
    );
    expect(names).toEqual([...names].sort());
  });

  test('Date, DateTime and JSON carry @specifiedBy in the supergraph and in the public schema', () => {
    const supergraphScalars = parse(supergraph).definitions.filter(
      (definition): definition is ScalarTypeDefinitionNode =>
        definition.kind === Kind.SCALAR_TYPE_DEFINITION,
    );
    const specifiedInSupergraph = Object.fromEntries(
      supergraphScalars.flatMap((scalar) => {
        const directive = scalar.directives?.find((d) => d.name.value === 'specifiedBy');
        const url = directive?.arguments?.find((argument) => argument.name.value === 'url');
        return url?.value.kind === Kind.STRING ? [[scalar.name.value, url.value.value]] : [];
      }),
    );
    const publicSchema = buildSchema(committed);
    const specifiedInPublic = Object.fromEntries(
      Object.keys(SPECIFIED_BY).map((name) => [
        name,
        (publicSchema.getType(name) as { specifiedByURL?: string } | undefined)?.specifiedByURL,
      ]),
    );

    expect(specifiedInSupergraph).toEqual(SPECIFIED_BY);
    expect(specifiedInPublic).toEqual(SPECIFIED_BY);
  });
});

describe('what clients see through the gateway', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    // The committed supergraph; introspection never reaches a subgraph, so none is running.
    const nowhere = 'http://127.0.0.1:9/graphql';
    gateway = await startGateway({
      port: 0,
      gatewaySecret: 'test-gateway-secret-0123456789',
      subgraphUrls: {
        spaces: nowhere,
        members: nowhere,
        events: nowhere,
        matching: nowhere,
        'support-programs': nowhere,
      },
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('introspection gives exactly the committed public schema, @specifiedBy included', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery({ specifiedByUrl: true }) }),
    });
    const body = (await response.json()) as { data: IntrospectionQuery; errors?: unknown };

    expect(body.errors).toBeUndefined();
    const introspected = printSchema(lexicographicSortSchema(buildClientSchema(body.data)));
    const withoutHeader = committed.replace(/^(#.*\n)+\n/, '');
    expect(`${introspected}\n`).toBe(withoutHeader);
    const scalars = body.data.__schema.types.filter((type) => type.name in SPECIFIED_BY);
    expect(
      Object.fromEntries(
        scalars.map((type) => [type.name, 'specifiedByURL' in type ? type.specifiedByURL : null]),
      ),
    ).toEqual(SPECIFIED_BY);
  });
});
