import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  composeSupergraph,
  GATEWAY_DIR,
  readServiceSdls,
  SERVICES_DIR,
  SUPERGRAPH_PATH,
} from '../compose-supergraph.js';
import { PUBLIC_SCHEMA_PATH, printPublicSchema, publicSchemaOf } from '../public-schema.js';
import { resolveSchemaBase, type SchemaBase } from './base.js';
import { type ChangeLog, changeLine, parseChangeLog } from './change-log.js';
import { compareSchemas, type SchemaChange } from './compare.js';
import { git } from './git.js';

export const CHANGE_LOG_PATH = fileURLToPath(
  new URL('../../../docs/schema-changes.md', import.meta.url),
);

export type SchemaCheckOptions = {
  /** `SCHEMA_BASE`: compare with this git ref instead of the merge-base or baseline. */
  schemaBase?: string | undefined;
  /**
   * In CI the build has just regenerated every printed schema from the code, so any difference
   * from the commit means the commit carries a stale schema (someone forgot `pnpm generate`).
   */
  isCi?: boolean;
};

/**
 * The check's two settings from an environment (the CLI and the test pass `process.env`):
 * `SCHEMA_BASE` (a git ref) and `CI` (set by .ci/run and most CI systems).
 */
export function schemaCheckOptionsFromEnv(
  env: Record<string, string | undefined>,
): SchemaCheckOptions {
  const ci = env.CI?.trim().toLowerCase();
  return {
    schemaBase: env.SCHEMA_BASE?.trim() || undefined,
    isCi: ci !== undefined && !['', '0', 'false', 'no'].includes(ci),
  };
}

export type SchemaCheckReport = {
  base: SchemaBase;
  changes: SchemaChange[];
  unrecorded: SchemaChange[];
  /** Printed schemas that do not match the code, each with what to do. */
  stale: string[];
};

/** Files the build prints from the code and the repository commits (see README "Development"). */
const PRINTED_SCHEMAS = [
  'services/*/schema.graphql',
  'gateway/supergraph.graphql',
  'gateway/public-schema.graphql',
];

/**
 * The schema check: the public schema the code gives now, compared with the one at the base of
 * the change (base.ts); every breaking or dangerous difference must be recorded in
 * docs/schema-changes.md, and the committed printed schemas must be the code's.
 */
export async function runSchemaCheck(options: SchemaCheckOptions = {}): Promise<SchemaCheckReport> {
  const changeLog: ChangeLog = parseChangeLog(await readFile(CHANGE_LOG_PATH, 'utf8'));
  const base = resolveSchemaBase({
    cwd: GATEWAY_DIR,
    schemaBase: options.schemaBase,
    baseline: changeLog.baseline,
  });

  const composition = composeSupergraph(await readServiceSdls(SERVICES_DIR));
  if (!composition.isOk) {
    const errors = composition.errors.map((error) => `[${error.code}] ${error.message}`);
    throw new Error(`The subgraph SDLs do not compose:\n${errors.join('\n')}`);
  }
  const stale = await staleSchemas(composition.supergraphSdl, options.isCi ?? false);

  // The base's committed supergraph, printed by today's code, so both sides are printed alike.
  const baseSupergraph = git(GATEWAY_DIR, ['show', `${base.commit}:./supergraph.graphql`]);
  const comparison = await compareSchemas(
    publicSchemaOf(baseSupergraph),
    publicSchemaOf(composition.supergraphSdl),
    changeLog,
  );
  return { base, ...comparison, stale };
}

async function staleSchemas(supergraphSdl: string, isCi: boolean): Promise<string[]> {
  const regenerate = 'run `pnpm generate` and commit the result';
  const differing = await filesDiffering([
    { path: SUPERGRAPH_PATH, text: supergraphSdl },
    { path: PUBLIC_SCHEMA_PATH, text: printPublicSchema(supergraphSdl) },
  ]);
  const stale = differing.map(
    (path) => `${repoPath(path)} is not what the code gives: ${regenerate}`,
  );
  if (isCi) {
    for (const path of changedSinceCommit(GATEWAY_DIR, PRINTED_SCHEMAS)) {
      stale.push(
        `${path} as committed is not what the code gives (the build reprinted it): ${regenerate}`,
      );
    }
  }
  return stale;
}

/** The files whose content is not the expected text (a missing file differs too). */
export async function filesDiffering(
  expected: { path: string; text: string }[],
): Promise<string[]> {
  const differing: string[] = [];
  for (const { path, text } of expected) {
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content !== text) differing.push(path);
  }
  return differing;
}

/** Repository paths matching the globs that differ from HEAD (modified, new or deleted). */
export function changedSinceCommit(cwd: string, globs: string[]): string[] {
  const pathspecs = globs.map((glob) => `:(top,glob)${glob}`);
  return git(cwd, ['status', '--porcelain', '--untracked-files=all', '--', ...pathspecs])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

function repoPath(path: string): string {
  return relative(join(GATEWAY_DIR, '..'), path);
}

export function isSchemaCheckPassed(report: SchemaCheckReport): boolean {
  return report.unrecorded.length === 0 && report.stale.length === 0;
}

/** The report the CLI prints and the test shows on failure. */
export function formatSchemaCheckReport(
  report: SchemaCheckReport,
  options: { listSafe?: boolean } = {},
): string {
  const out: string[] = [];
  const short = report.base.commit.slice(0, 12);
  out.push(`Public schema now vs ${short} (${report.base.reason}):`);
  const order = { BREAKING: 0, DANGEROUS: 1, NON_BREAKING: 2 };
  const risky = report.changes
    .filter((change) => change.level !== 'NON_BREAKING')
    .sort((a, b) => order[a.level] - order[b.level] || a.path.localeCompare(b.path));
  const safe = report.changes.filter((change) => change.level === 'NON_BREAKING');
  for (const change of risky) {
    const status = change.recordedIn ? `recorded ${change.recordedIn.date}` : 'NOT RECORDED';
    out.push(
      `  ${change.level.padEnd(9)} ${status.padEnd(16)} \`${change.path}\` — ${change.message}`,
    );
  }
  if (options.listSafe) {
    for (const change of safe)
      out.push(`  SAFE      ${''.padEnd(16)} \`${change.path}\` — ${change.message}`);
  } else if (safe.length > 0) {
    out.push(`  … and ${safe.length} safe change(s) (additions, descriptions): --all lists them`);
  }
  if (report.changes.length === 0) out.push('  no change');

  for (const problem of report.stale) out.push(`STALE: ${problem}`);
  if (report.unrecorded.length > 0) {
    out.push(
      '',
      `${report.unrecorded.length} breaking or dangerous change(s) not recorded. Add an entry to docs/schema-changes.md:`,
      '',
      '## YYYY-MM-DD — <what changed, 日本語 (English)>',
      '',
      '- Changes:',
      ...report.unrecorded.map((change) => changeLine(change)),
      '- Why: <why the change was needed>',
      '- Clients: <what clients must do>',
    );
  }
  out.push('', isSchemaCheckPassed(report) ? 'Schema check passed.' : 'Schema check FAILED.');
  return out.join('\n');
}
