import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { buildSchema } from 'graphql';
import { GATEWAY_DIR } from '../src/compose-supergraph.js';
import { resolveSchemaBase } from '../src/schema-check/base.js';
import { ChangeLogError, parseChangeLog } from '../src/schema-check/change-log.js';
import { compareSchemas } from '../src/schema-check/compare.js';
import {
  CHANGE_LOG_PATH,
  changedSinceCommit,
  filesDiffering,
  formatSchemaCheckReport,
  isSchemaCheckPassed,
  runSchemaCheck,
  schemaCheckOptionsFromEnv,
} from '../src/schema-check/run.js';

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hub-schema-check-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the schema check on this repository', () => {
  test('every breaking or dangerous change since the base is recorded, and the printed schemas are the code’s', async () => {
    // SCHEMA_BASE and CI come from the environment, as in `pnpm schema:check`: in CI the build
    // has just reprinted every schema, so a stale commit shows as a changed file here.
    const report = await runSchemaCheck(schemaCheckOptionsFromEnv(process.env));

    // The whole report on failure: what changed, what is missing, the entry to paste.
    expect(isSchemaCheckPassed(report) ? 'passed' : formatSchemaCheckReport(report)).toBe('passed');
  });

  test('since the baseline, the fields that became nullable are recorded breaking changes', async () => {
    const report = await runSchemaCheck({ schemaBase: await baselineOfChangeLog() });

    const changed = report.changes
      .filter((change) => change.type === 'FIELD_TYPE_CHANGED' && change.level === 'BREAKING')
      .map((change) => ({ path: change.path, recorded: change.recordedIn?.date }));
    expect(changed).toEqual(
      expect.arrayContaining([
        { path: 'Member.affiliations', recorded: '2026-11-21' },
        { path: 'Member.createdAt', recorded: '2026-11-21' },
        { path: 'Member.skills', recorded: '2026-11-21' },
        // Nullable on 2026-11-21, then a connection: the baseline-to-now change is the later one.
        { path: 'Organization.affiliations', recorded: '2026-12-05' },
      ]),
    );
  });

  test('`pnpm schema:check --all` prints the report and exits 0 only when the check passes', async () => {
    const baseline = await baselineOfChangeLog();
    const options = { ...schemaCheckOptionsFromEnv(process.env), schemaBase: baseline };
    const report = await runSchemaCheck(options);

    const run = spawnSync('node_modules/.bin/tsx', ['scripts/schema-check.ts', '--all'], {
      cwd: GATEWAY_DIR,
      encoding: 'utf8',
      env: { ...process.env, SCHEMA_BASE: baseline },
    });

    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${formatSchemaCheckReport(report, { listSafe: true })}\n`);
    expect(run.stdout).toMatch(/^Public schema now vs 963ea1d84b43 \(SCHEMA_BASE=963ea1d/);
    expect(run.stdout).toContain(
      "BREAKING  recorded 2026-11-21 `Member.createdAt` — Field 'Member.createdAt' changed type from 'DateTime!' to 'DateTime'",
    );
    expect(run.stdout).toMatch(/SAFE +`Query\.\w+` — Field '\w+' was added to object type 'Query'/);
    expect(run.status).toBe(isSchemaCheckPassed(report) ? 0 : 1);
  }, 60_000);
});

async function baselineOfChangeLog(): Promise<string> {
  return parseChangeLog(await readFile(CHANGE_LOG_PATH, 'utf8')).baseline;
}

// Fixtures: a base schema and changes to it, checked against change logs written as a person
// would write docs/schema-changes.md.
const BASE_SDL = `
  type Query { member(id: ID!): Member }
  type Member {
    id: ID!
    name: String!
    createdAt: String!
    skills: [String!]!
    kind: Kind!
  }
  enum Kind { FREELANCER STUDENT }
`;
const base = buildSchema(BASE_SDL);
const head = (from: string, to: string) => {
  if (!BASE_SDL.includes(from)) throw new Error(`fixture: ${from} not in the base`);
  return buildSchema(BASE_SDL.replace(from, to));
};
const changeLog = (...changeLines: string[]) =>
  parseChangeLog(
    [
      '# Schema changes',
      '',
      'Baseline: `0123456789abcdef0123456789abcdef01234567`',
      '',
      '## 2026-12-01 — フィクスチャ (fixture)',
      '',
      '- Changes:',
      ...changeLines.map((line) => `  - ${line}`),
      '- Why: the fixture needs it.',
      '- Clients: regenerate their types.',
    ].join('\n'),
  );
const NO_ENTRIES = { entries: [] };

describe('compareSchemas (fixtures)', () => {
  const breaks = [
    {
      what: 'a removed field',
      schema: () => head('name: String!', ''),
      otherChange:
        "`Member.name` — Field 'name' (deprecated) was removed from object type 'Member'",
      recorded: "`Member.name` — Field 'name' was removed from object type 'Member'",
    },
    {
      what: 'a field made nullable',
      schema: () => head('createdAt: String!', 'createdAt: String'),
      otherChange:
        "`Member.createdAt` — Field 'Member.createdAt' changed type from 'String' to 'String!'",
      recorded:
        "`Member.createdAt` — Field 'Member.createdAt' changed type from 'String!' to 'String'",
    },
    {
      what: 'a field whose type changed',
      schema: () => head('skills: [String!]!', 'skills: [Int!]!'),
      otherChange:
        "`Member.skills` — Field 'Member.skills' changed type from '[String!]!' to '[Int]!'",
      recorded:
        "`Member.skills` — Field 'Member.skills' changed type from '[String!]!' to '[Int!]!'",
    },
  ];

  test.each(breaks)('$what fails while unrecorded', async ({ schema }) => {
    const comparison = await compareSchemas(base, schema(), NO_ENTRIES);

    expect(comparison.unrecorded).toHaveLength(1);
    expect(comparison.unrecorded[0]).toMatchObject({ level: 'BREAKING' });
  });

  test.each(breaks)('$what passes once recorded', async ({ schema, recorded }) => {
    const comparison = await compareSchemas(base, schema(), changeLog(recorded));

    expect(comparison.unrecorded).toEqual([]);
    expect(comparison.changes).toEqual([
      expect.objectContaining({
        level: 'BREAKING',
        recordedIn: expect.objectContaining({ date: '2026-12-01', why: 'the fixture needs it.' }),
      }),
    ]);
  });

  test.each(breaks)(
    '$what is not covered by an entry for another change at the same coordinate',
    async ({ schema, otherChange }) => {
      const comparison = await compareSchemas(base, schema(), changeLog(otherChange));

      expect(comparison.unrecorded).toHaveLength(1);
    },
  );

  test('a dangerous change (a new enum value) fails while unrecorded and passes once recorded', async () => {
    const schema = head(
      'enum Kind { FREELANCER STUDENT }',
      'enum Kind { FREELANCER STUDENT FOUNDER }',
    );

    const unrecorded = await compareSchemas(base, schema, NO_ENTRIES);
    expect(unrecorded.unrecorded).toEqual([
      {
        level: 'DANGEROUS',
        type: 'ENUM_VALUE_ADDED',
        path: 'Kind.FOUNDER',
        message: "Enum value 'FOUNDER' was added to enum 'Kind'",
      },
    ]);
    const recorded = await compareSchemas(
      base,
      schema,
      changeLog("`Kind.FOUNDER` — Enum value 'FOUNDER' was added to enum 'Kind'"),
    );
    expect(recorded.unrecorded).toEqual([]);
  });

  test('safe additions (a nullable field, a new type, a description) pass without an entry', async () => {
    const schema = buildSchema(
      `${BASE_SDL.replace('name: String!', '"名前 (name)" name: String!\n bio: String\n space: Space')}
      type Space { id: ID! }`,
    );

    const comparison = await compareSchemas(base, schema, NO_ENTRIES);

    expect(comparison.unrecorded).toEqual([]);
    expect(comparison.changes.map((change) => [change.level, change.type])).toEqual(
      expect.arrayContaining([
        ['NON_BREAKING', 'FIELD_ADDED'],
        ['NON_BREAKING', 'TYPE_ADDED'],
        ['NON_BREAKING', 'FIELD_DESCRIPTION_ADDED'],
      ]),
    );
    expect(comparison.changes.every((change) => change.level === 'NON_BREAKING')).toBe(true);
  });

  test('an unchanged schema has no changes', async () => {
    expect(await compareSchemas(base, buildSchema(BASE_SDL), NO_ENTRIES)).toEqual({
      changes: [],
      unrecorded: [],
    });
  });
});

describe('parseChangeLog', () => {
  test('reads the baseline and each entry, with continuation lines and examples ignored', () => {
    const log = parseChangeLog(
      [
        '# Schema changes',
        'Baseline: `963ea1d84b434c96b4c748275fdfbe05fa616eab` — the walking skeleton',
        '```markdown',
        '## YYYY-MM-DD — an example, not an entry',
        '```',
        '## 2026-11-21 — 項目を null 許容に (fields became nullable)',
        '- Changes:',
        "  - `Member.skills` — Field 'Member.skills' changed type from '[MemberSkill!]!' to '[MemberSkill!]'",
        '  * `Organization.affiliations` — a second change',
        '- Why: field rules',
        '  hide fields.',
        '- **Clients**: handle null.',
      ].join('\n'),
    );

    expect(log).toEqual({
      baseline: '963ea1d84b434c96b4c748275fdfbe05fa616eab',
      entries: [
        {
          date: '2026-11-21',
          title: '項目を null 許容に (fields became nullable)',
          changes: [
            {
              path: 'Member.skills',
              message:
                "Field 'Member.skills' changed type from '[MemberSkill!]!' to '[MemberSkill!]'",
            },
            { path: 'Organization.affiliations', message: 'a second change' },
          ],
          why: 'field rules hide fields.',
          clients: 'handle null.',
          line: 6,
        },
      ],
    });
  });

  test('an entry without a date, changes, why or clients is refused, naming its line', () => {
    const parse = () =>
      parseChangeLog(
        [
          'Baseline: `963ea1d`',
          '## 2026-02-30 — not a day',
          '## 2026-03-01 — nothing said',
          '- Changes:',
          '  - Member.skills without backticks',
        ].join('\n'),
      );

    expect(parse).toThrow(ChangeLogError);
    try {
      parse();
    } catch (error) {
      expect((error as ChangeLogError).problems).toEqual([
        'line 2: an entry starts with `## YYYY-MM-DD — what changed`',
        'line 5: a change is `  - \\`Type.field\\` — <message>`',
        'line 3 (2026-03-01 — nothing said): no `- Changes:` listed',
        'line 3 (2026-03-01 — nothing said): `- Why:` is missing or empty',
        'line 3 (2026-03-01 — nothing said): `- Clients:` is missing or empty',
      ]);
    }
  });

  test('a log without a baseline is refused', () => {
    expect(() => parseChangeLog('# Schema changes\n')).toThrow(/no `Baseline: `<commit>`` line/);
  });

  test('docs/schema-changes.md itself parses and every entry lists its changes', async () => {
    const log = parseChangeLog(await readFile(CHANGE_LOG_PATH, 'utf8'));

    expect(log.entries.length).toBeGreaterThan(0);
    for (const entry of log.entries) expect(entry.changes.length).toBeGreaterThan(0);
  });
});

// A repository of our own for each case: main with two commits, and what a developer or CI has.
function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}
async function commitFile(cwd: string, name: string, text: string): Promise<string> {
  await writeFile(join(cwd, name), text);
  gitIn(cwd, 'add', name);
  gitIn(cwd, 'commit', '-q', '-m', `change ${name}`);
  return gitIn(cwd, 'rev-parse', 'HEAD');
}
async function repositoryWithMain() {
  const dir = await temporaryDir();
  gitIn(dir, 'init', '-q', '-b', 'main');
  const baseline = await commitFile(dir, 'schema.graphql', 'type Query { a: Int }');
  const released = await commitFile(dir, 'schema.graphql', 'type Query { a: Int b: Int }');
  return { dir, baseline, released };
}

describe('resolveSchemaBase', () => {
  test('on main itself, the baseline of the change log', async () => {
    const { dir, baseline } = await repositoryWithMain();

    expect(resolveSchemaBase({ cwd: dir, baseline: baseline.slice(0, 10) })).toEqual({
      commit: baseline,
      reason: 'the baseline in docs/schema-changes.md (on main)',
    });
  });

  test('on a branch, where it left main', async () => {
    const { dir, baseline, released } = await repositoryWithMain();
    gitIn(dir, 'checkout', '-q', '-b', 'i8-feature');
    await commitFile(dir, 'schema.graphql', 'type Query { b: Int }');
    // main moves on meanwhile: the branch is still compared with where it started.
    gitIn(dir, 'checkout', '-q', 'main');
    await commitFile(dir, 'other.graphql', 'type Other { c: Int }');
    gitIn(dir, 'checkout', '-q', 'i8-feature');

    expect(resolveSchemaBase({ cwd: dir, baseline })).toEqual({
      commit: released,
      reason: 'where this branch left main',
    });
  });

  test('in a clone, origin/main decides: a clone of main uses the baseline, a branch its merge-base', async () => {
    const { dir: origin, baseline, released } = await repositoryWithMain();
    const clone = await temporaryDir();
    gitIn(clone, 'clone', '-q', origin, '.');

    expect(resolveSchemaBase({ cwd: clone, baseline })).toEqual({
      commit: baseline,
      reason: 'the baseline in docs/schema-changes.md (on origin/main)',
    });

    gitIn(clone, 'checkout', '-q', '-b', 'topic');
    await commitFile(clone, 'schema.graphql', 'type Query { c: Int }');
    expect(resolveSchemaBase({ cwd: clone, baseline })).toEqual({
      commit: released,
      reason: 'where this branch left origin/main',
    });
  });

  test('SCHEMA_BASE wins, and one naming no commit is an error', async () => {
    const { dir, baseline } = await repositoryWithMain();

    expect(resolveSchemaBase({ cwd: dir, baseline, schemaBase: 'main~1' })).toEqual({
      commit: baseline,
      reason: 'SCHEMA_BASE=main~1',
    });
    expect(() => resolveSchemaBase({ cwd: dir, baseline, schemaBase: 'no-such-ref' })).toThrow(
      'SCHEMA_BASE=no-such-ref names no commit in this clone',
    );
  });

  test('a baseline missing from the history says how to get it', async () => {
    const { dir } = await repositoryWithMain();

    expect(() =>
      resolveSchemaBase({ cwd: dir, baseline: '0123456789abcdef0123456789abcdef01234567' }),
    ).toThrow(
      /not in this clone's history \(a shallow clone\?\): fetch the full history or set SCHEMA_BASE/,
    );
  });
});

describe('stale printed schemas', () => {
  test('a printed schema that is not the code’s text is reported, a missing one too', async () => {
    const dir = await temporaryDir();
    await writeFile(join(dir, 'same.graphql'), 'type Query { a: Int }\n');
    await writeFile(join(dir, 'old.graphql'), 'type Query { a: Int }\n');

    expect(
      await filesDiffering([
        { path: join(dir, 'same.graphql'), text: 'type Query { a: Int }\n' },
        { path: join(dir, 'old.graphql'), text: 'type Query { a: Int b: Int }\n' },
        { path: join(dir, 'missing.graphql'), text: 'type Query { a: Int }\n' },
      ]),
    ).toEqual([join(dir, 'old.graphql'), join(dir, 'missing.graphql')]);
  });

  test('in CI, a printed schema the build changed (a stale commit) is reported by its path', async () => {
    const { dir } = await repositoryWithMain();
    const printed = ['schema.graphql', 'new.graphql'];

    expect(changedSinceCommit(dir, printed)).toEqual([]);
    await writeFile(join(dir, 'schema.graphql'), 'type Query { reprinted: Int }');
    await writeFile(join(dir, 'new.graphql'), 'type Query { a: Int }');
    await writeFile(join(dir, 'unrelated.txt'), 'not a schema');
    expect(changedSinceCommit(dir, printed)).toEqual(['schema.graphql', 'new.graphql']);
  });

  test('CI is on when the variable says so', () => {
    expect(schemaCheckOptionsFromEnv({ CI: 'true', SCHEMA_BASE: ' main~2 ' })).toEqual({
      isCi: true,
      schemaBase: 'main~2',
    });
    expect(schemaCheckOptionsFromEnv({ CI: 'false' })).toEqual({
      isCi: false,
      schemaBase: undefined,
    });
    expect(schemaCheckOptionsFromEnv({})).toEqual({ isCi: false, schemaBase: undefined });
  });
});
