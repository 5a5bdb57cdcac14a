import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ts from 'typescript';
import { GATEWAY_DIR } from '../src/compose-supergraph.js';
import { PUBLIC_SCHEMA_PATH } from '../src/public-schema.js';

// The README's "Generating client types" configuration, run as a partner would run it: the
// codegen CLI in a project of its own, against the committed public schema, then the output
// type-checked with assertions that each scalar has the type the map gives it.

const README_PATH = join(GATEWAY_DIR, '..', 'README.md');
const SCHEMA_IN_PROJECT = 'coworking-hub/public-schema.graphql';

// Lookups by id: the kind of field least likely to change shape (lists become connections).
const OPERATIONS = `
query HubClientTypes($memberId: ID!, $spaceId: ID!, $eventId: ID!) {
  member(id: $memberId) { id displayName createdAt skills { level } }
  space(id: $spaceId) { id name openedOn }
  event(id: $eventId) { id startsAt }
  exportMyData { members }
}
`;

// Compile-time assertions: a wrong type is a type error, and `any` equals nothing but `any`.
const ASSERTIONS = `
import type { HubClientTypesQuery } from './src/generated/hub-operations';
import type { Scalars } from './src/generated/hub-schema';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

type Member = NonNullable<HubClientTypesQuery['member']>;
type Space = NonNullable<HubClientTypesQuery['space']>;
type Event = NonNullable<HubClientTypesQuery['event']>;

export type Checks = [
  Assert<Equals<Scalars['DateTime'], { input: string; output: string }>>,
  Assert<Equals<Scalars['Date'], { input: string; output: string }>>,
  Assert<Equals<Scalars['JSON'], { input: unknown; output: unknown }>>,
  // Of all scalars, only JSON may be unknown (or any): the map says so for it alone.
  Assert<Equals<{ [K in keyof Scalars]: unknown extends Scalars[K]['output'] ? K : never }[keyof Scalars], 'JSON'>>,
  Assert<Equals<Member['createdAt'], string | null>>,
  Assert<Equals<Space['openedOn'], string | null>>,
  Assert<Equals<Event['startsAt'], string>>,
  Assert<Equals<HubClientTypesQuery['exportMyData']['members'], unknown>>,
];
`;

function readmeCodegenConfig(readme: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Generating client types'));
  const config = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!config) throw new Error('README.md has no ```ts block under "## Generating client types"');
  return config;
}

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/** The codegen CLI in the project, as `npx graphql-codegen --config <file>`. */
function codegen(configFile: string) {
  const bin = join(GATEWAY_DIR, 'node_modules', '.bin', 'graphql-codegen');
  // CI=true: plain output, no interactive renderer. Not NODE_ENV=test (jest's): the CLI then
  // prints nothing, errors included.
  return spawnSync(bin, ['--config', configFile], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NODE_ENV: 'development' },
  });
}

let project: string;
let config: string;
beforeAll(async () => {
  // Under the gateway's node_modules, so the CLI finds the plugins as in a partner's project.
  const cache = join(GATEWAY_DIR, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  project = await mkdtemp(join(cache, 'hub-client-types-'));
  config = readmeCodegenConfig(await readFile(README_PATH, 'utf8'));
  await mkdir(join(project, 'coworking-hub'));
  await mkdir(join(project, 'src'));
  await copyFile(PUBLIC_SCHEMA_PATH, join(project, SCHEMA_IN_PROJECT));
  await writeFile(join(project, 'codegen.ts'), config);
  await writeFile(join(project, 'src', 'hub.graphql'), OPERATIONS);
  await writeFile(join(project, 'check.ts'), ASSERTIONS);
});
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('client types from the README’s codegen configuration', () => {
  test('the configuration reads the committed public schema', () => {
    expect(config).toContain(`schema: '${SCHEMA_IN_PROJECT}'`);
  });

  test('graphql-codegen generates them, and they type-check with each scalar mapped', async () => {
    const run = spawnSync(
      join(GATEWAY_DIR, 'node_modules', '.bin', 'graphql-codegen'),
      ['--config', 'codegen.ts'],
      {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });

    const operations = await readFile(join(project, 'src/generated/hub-operations.ts'), 'utf8');
    expect(operations).toContain('export type HubClientTypesQuery =');
    expect(operations).not.toMatch(/\bany\b/);
    expect(typeErrors(join(project, 'check.ts'))).toEqual([]);
  }, 60_000);

  test('the assertions catch a scalar left unmapped (they are not vacuous)', async () => {
    await writeFile(
      join(project, 'codegen-unmapped.ts'),
      config
        .replace(/^const scalars = .*$/m, 'const scalars = {};')
        .replace(/strictScalars: true/g, 'strictScalars: false'),
    );
    const run = codegen('codegen-unmapped.ts');
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });

    const errors = typeErrors(join(project, 'check.ts'));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/does not satisfy the constraint 'true'/);
  }, 60_000);

  test('strictScalars refuses a schema scalar the map lacks', async () => {
    await writeFile(
      join(project, 'codegen-strict.ts'),
      config.replace(
        /^const scalars = .*$/m,
        "const scalars = { DateTime: 'string', Date: 'string' };",
      ),
    );
    const run = codegen('codegen-strict.ts');

    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(
      'Unknown scalar type JSON. Please override it using the "scalars" configuration field!',
    );
  }, 60_000);
});
