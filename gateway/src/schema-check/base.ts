import { commitOf, GitError, git } from './git.js';

export type SchemaBase = {
  commit: string;
  /** How it was chosen, for the report. */
  reason: string;
};

export type SchemaBaseOptions = {
  /** Any directory inside the repository. */
  cwd: string;
  /** `SCHEMA_BASE`: a git ref that overrides everything else. */
  schemaBase?: string | undefined;
  /** The baseline commit recorded in docs/schema-changes.md. */
  baseline: string;
};

/** The branches a change is compared with: the remote's main (CI, clones), else a local main. */
const MAIN_REFS = ['origin/main', 'main'];

/**
 * The commit whose public schema a change is compared with:
 * 1. `SCHEMA_BASE` (any git ref) when set;
 * 2. on a branch, where it left main (the merge-base with origin/main, else main), so only the
 *    branch's own changes need entries;
 * 3. on main itself, the baseline of docs/schema-changes.md — the last release partners
 *    integrated against, so every change since then must be recorded.
 */
export function resolveSchemaBase(options: SchemaBaseOptions): SchemaBase {
  const { cwd, schemaBase, baseline } = options;
  if (schemaBase) {
    const commit = commitOf(cwd, schemaBase);
    if (!commit) throw new GitError(`SCHEMA_BASE=${schemaBase} names no commit in this clone`);
    return { commit, reason: `SCHEMA_BASE=${schemaBase}` };
  }

  const head = commitOf(cwd, 'HEAD');
  if (!head) throw new GitError(`${cwd} is not inside a git checkout with a commit`);
  const main = MAIN_REFS.find((ref) => commitOf(cwd, ref));
  if (main) {
    const mergeBase = git(cwd, ['merge-base', 'HEAD', main]).trim();
    if (mergeBase && mergeBase !== head) {
      return { commit: mergeBase, reason: `where this branch left ${main}` };
    }
  }

  const commit = commitOf(cwd, baseline);
  if (!commit) {
    throw new GitError(
      `the baseline ${baseline} of docs/schema-changes.md is not in this clone's history (a shallow clone?): fetch the full history or set SCHEMA_BASE`,
    );
  }
  return { commit, reason: `the baseline in docs/schema-changes.md${main ? ` (on ${main})` : ''}` };
}
