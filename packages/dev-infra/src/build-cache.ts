import { posix } from 'node:path';

/** The part of one task in `turbo run … --dry=json` that the cache check reads. */
export type DryRunTask = {
  taskId: string;
  /** The package folder, relative to the repository root. */
  directory: string;
  /** `<NONEXISTENT>` for a task the package has no script for. */
  command: string;
  cache: { status: string };
  /** Files hashed for the task (relative to its package folder) → their git hashes. */
  inputs: Record<string, string>;
  /** Output globs, relative to the package folder; `!` excludes. */
  outputs: string[] | null;
  dependencies: string[];
};

export type DryRun = { tasks: DryRunTask[] };

export type BuildCacheProblem = { taskId: string; reason: string };

const NO_SCRIPT = '<NONEXISTENT>';

/**
 * Why tasks would miss Turborepo's cache on the next run with nothing changed, from a dry run
 * taken right after a build:
 * - a task that is not a cache hit: its inputs, environment or a dependency changed while
 *   the build ran, or its output is not deterministic;
 * - a task that hashes files a dependency of the same run writes (`generate`'s
 *   `src/generated/**` in `build`). Turborepo hashes every task's inputs before any task runs,
 *   so such a task misses once whenever the dependency changes those files — on every fresh
 *   clone. The dependency's hash already covers them: they are no input of their own.
 * A task's own committed outputs (printed schemas) are hashed by Turborepo itself whatever
 * `inputs` says; rewriting them with other bytes shows up as a miss, the first rule.
 */
export function findBuildCacheProblems(dryRun: DryRun): BuildCacheProblem[] {
  const tasks = dryRun.tasks.filter((task) => task.command !== NO_SCRIPT);
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  const problems: BuildCacheProblem[] = [];
  for (const task of tasks) {
    if (task.cache.status !== 'HIT') {
      problems.push({
        taskId: task.taskId,
        reason: `not a cache hit after the build (${task.cache.status})`,
      });
    }
    for (const writer of task.dependencies.flatMap((id) => byId.get(id) ?? [])) {
      const written = Object.keys(task.inputs)
        .map((file) => posix.join(task.directory, file))
        .filter((file) => isOutputOf(writer, file));
      if (written.length === 0) continue;
      problems.push({
        taskId: task.taskId,
        reason: `hashes ${written.length} file(s) that ${writer.taskId} writes, e.g. ${written[0]}`,
      });
    }
  }
  return problems;
}

function isOutputOf(task: DryRunTask, file: string): boolean {
  let isOutput = false;
  for (const glob of task.outputs ?? []) {
    const isExclusion = glob.startsWith('!');
    const pattern = posix.join(task.directory, isExclusion ? glob.slice(1) : glob);
    if (globToRegExp(pattern).test(file)) isOutput = !isExclusion;
  }
  return isOutput;
}

/** Turborepo's output globs use `**`, `*` and `?` only. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      const isSegment = glob[i + 2] === '/';
      source += isSegment ? '(?:.*/)?' : '.*';
      i += isSegment ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
