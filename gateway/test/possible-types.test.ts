import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { isUnionType } from 'graphql';
import { SUPERGRAPH_PATH } from '../src/compose-supergraph.js';
import { POSSIBLE_TYPES_PATH, printPossibleTypes } from '../src/possible-types.js';
import { publicSchemaOf } from '../src/public-schema.js';

const REGENERATE =
  'run `pnpm --filter @hub/gateway generate` and commit gateway/possible-types.json';

let supergraph: string;
let committed: string;
beforeAll(async () => {
  supergraph = await readFile(SUPERGRAPH_PATH, 'utf8');
  committed = await readFile(POSSIBLE_TYPES_PATH, 'utf8').catch(() => {
    throw new Error(`${POSSIBLE_TYPES_PATH} is missing: ${REGENERATE}`);
  });
});

describe('gateway/possible-types.json (Apollo Client possibleTypes)', () => {
  test('is generated from the committed supergraph, and printing it twice gives the same bytes', () => {
    const printed = printPossibleTypes(supergraph);

    expect(committed === printed ? 'up to date' : `stale: ${REGENERATE}`).toBe('up to date');
    expect(printPossibleTypes(supergraph)).toBe(printed);
  });

  test('names every interface and union of the public schema with all its members', () => {
    const schema = publicSchemaOf(supergraph);
    const possibleTypes = JSON.parse(committed) as Record<string, string[]>;
    const payloads = Object.values(schema.getTypeMap()).filter(
      (type) => isUnionType(type) && type.name.endsWith('Payload'),
    );

    expect(payloads.length).toBeGreaterThan(0);
    for (const payload of payloads) {
      expect(possibleTypes[payload.name]).toContain(payload.name.replace(/Payload$/, 'Success'));
    }
    expect(possibleTypes.Error).toEqual([
      'ConflictError',
      'CredentialError',
      'InvalidInputError',
      'NotFoundError',
    ]);
    expect(possibleTypes.PublishEventPayload).toEqual(['InvalidInputError', 'PublishEventSuccess']);
  });
});
