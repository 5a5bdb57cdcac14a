import { describe, expect, it } from '@jest/globals';
import { type DryRunTask, findBuildCacheProblems, globToRegExp } from './build-cache.js';

function task(overrides: Partial<DryRunTask> & Pick<DryRunTask, 'taskId'>): DryRunTask {
  return {
    directory: 'services/spaces',
    command: 'tsc -p tsconfig.build.json',
    cache: { status: 'HIT' },
    inputs: {},
    outputs: [],
    dependencies: [],
    ...overrides,
  };
}

const generate = task({
  taskId: '@hub/spaces#generate',
  command: 'prisma generate && tsx src/print-schema.ts',
  inputs: { 'prisma/schema.prisma': 'a1', 'src/app.ts': 'b2' },
  outputs: ['src/generated/**', 'schema.graphql'],
});

describe('findBuildCacheProblems', () => {
  it('finds nothing when every task is a hit and hashes no file another task writes', () => {
    const build = task({
      taskId: '@hub/spaces#build',
      inputs: { 'src/app.ts': 'b2', 'package.json': 'c3' },
      outputs: ['dist/**'],
      dependencies: ['@hub/spaces#generate'],
    });
    expect(findBuildCacheProblems({ tasks: [generate, build] })).toEqual([]);
  });

  it('names a task that hashes what its generate step writes', () => {
    const build = task({
      taskId: '@hub/spaces#build',
      inputs: {
        'src/app.ts': 'b2',
        'src/generated/prisma/client.ts': 'd4',
        'src/generated/pothos-types.ts': 'e5',
      },
      outputs: ['dist/**'],
      dependencies: ['@hub/spaces#generate'],
    });
    expect(findBuildCacheProblems({ tasks: [generate, build] })).toEqual([
      {
        taskId: '@hub/spaces#build',
        reason:
          'hashes 2 file(s) that @hub/spaces#generate writes, e.g. services/spaces/src/generated/prisma/client.ts',
      },
    ]);
  });

  it('finds a dependency in another package writing into this package (gateway composing services)', () => {
    const compose = task({
      taskId: '@hub/gateway#generate',
      directory: 'gateway',
      inputs: { '../services/spaces/schema.graphql': 'f6', 'scripts/compose.ts': 'a7' },
      outputs: ['supergraph.graphql'],
      dependencies: ['@hub/spaces#generate'],
    });
    expect(findBuildCacheProblems({ tasks: [generate, compose] })).toEqual([
      {
        taskId: '@hub/gateway#generate',
        reason:
          'hashes 1 file(s) that @hub/spaces#generate writes, e.g. services/spaces/schema.graphql',
      },
    ]);
  });

  it('ignores a task hashing its own committed outputs (Turborepo always does)', () => {
    const compose = task({
      taskId: '@hub/gateway#generate',
      directory: 'gateway',
      inputs: { 'scripts/compose.ts': 'a7', 'supergraph.graphql': 'b8' },
      outputs: ['supergraph.graphql'],
    });
    expect(findBuildCacheProblems({ tasks: [compose] })).toEqual([]);
  });

  it("honours exclusions in the writer's outputs", () => {
    const writer = { ...generate, outputs: ['src/generated/**', '!src/generated/keep/**'] };
    const build = task({
      taskId: '@hub/spaces#build',
      inputs: { 'src/generated/keep/a.ts': 'c9' },
      dependencies: ['@hub/spaces#generate'],
    });
    expect(findBuildCacheProblems({ tasks: [writer, build] })).toEqual([]);
  });

  it('names every task that is not a cache hit, and ignores tasks without a script', () => {
    const missed = task({ taskId: '@hub/members#build', cache: { status: 'MISS' } });
    const noScript = task({
      taskId: '@hub/config#generate',
      command: '<NONEXISTENT>',
      cache: { status: 'MISS' },
    });
    expect(findBuildCacheProblems({ tasks: [missed, noScript] })).toEqual([
      { taskId: '@hub/members#build', reason: 'not a cache hit after the build (MISS)' },
    ]);
  });
});

describe('globToRegExp', () => {
  it('matches Turborepo output globs', () => {
    expect(globToRegExp('a/src/generated/**').test('a/src/generated/x/y.ts')).toBe(true);
    expect(globToRegExp('a/src/generated/**').test('a/src/generatedx.ts')).toBe(false);
    expect(globToRegExp('a/**/*.ts').test('a/b/c/d.ts')).toBe(true);
    expect(globToRegExp('a/**/*.ts').test('a/d.ts')).toBe(true);
    expect(globToRegExp('a/*.json').test('a/b/c.json')).toBe(false);
    expect(globToRegExp('a/schema.graphql').test('a/schemaXgraphql')).toBe(false);
  });
});
