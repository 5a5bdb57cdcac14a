#!/usr/bin/env node
// `pnpm new-migration <service> <name> [--from <git rev>]`: writes the SQL that takes a service's
// database from its schema at <rev> (default HEAD: the last commit, whose migrations match it)
// to the schema in the working tree, as prisma/migrations/<timestamp>_<name>/migration.sql.
//
// Why not `prisma migrate dev`: with Prisma's offline WebAssembly engine behind the pg adapter,
// its data-loss check needs a shadow-database factory the engine does not accept ("must be
// provided through an external factory"). A datamodel-to-datamodel diff needs no database.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { ROOT } from './lib.mjs';

const [service, name, ...rest] = process.argv.slice(2);
const from = rest[0] === '--from' ? rest[1] : 'HEAD';
if (!service || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm new-migration <service> <name_in_snake_case> [--from <git rev>]');
  process.exit(2);
}
const serviceDir = join(ROOT, 'services', service);
const schemaDir = `services/${service}/prisma/schema`;

const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
const listing = git('ls-tree', `${from}:${schemaDir}`);
if (listing.status !== 0) {
  console.error(`no committed schema at ${from}:${schemaDir}`);
  process.exit(1);
}

// The schema as committed, with symlinks (messaging.prisma) followed inside the same commit.
const oldSchema = mkdtempSync(join(tmpdir(), 'hub-schema-'));
for (const line of listing.stdout.trim().split('\n')) {
  const [meta, file] = line.split('\t');
  const [mode] = meta.split(' ');
  let path = `${schemaDir}/${file}`;
  if (mode === '120000')
    path = posix.normalize(posix.join(schemaDir, git('show', `${from}:${path}`).stdout.trim()));
  writeFileSync(join(oldSchema, file), git('show', `${from}:${path}`).stdout);
}

const diff = spawnSync(
  join(serviceDir, 'node_modules/.bin/prisma'),
  [
    'migrate',
    'diff',
    '--from-schema-datamodel',
    oldSchema,
    '--to-schema-datamodel',
    'prisma/schema',
    '--script',
  ],
  {
    cwd: serviceDir,
    encoding: 'utf8',
    // The CLI opens its adapter connection even for this database-free diff (it reads and
    // writes nothing): any reachable server will do — yours, the local one, or `npm start`'s
    // embedded one (postgresql://postgres:postgres@127.0.0.1:54329/postgres).
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
      CHECKPOINT_DISABLE: '1',
    },
  },
);
rmSync(oldSchema, { recursive: true, force: true });
if (diff.status !== 0) {
  console.error(diff.stderr || diff.stdout);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout.slice(diff.stdout.indexOf('--'));
if (/^-- This is an empty migration\.\s*$/.test(sql) || !sql.trim()) {
  console.log(`no schema changes in services/${service} since ${from}`);
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const folder = join(serviceDir, 'prisma', 'migrations', `${stamp}_${name}`);
if (readdirSync(dirname(folder)).some((entry) => entry.endsWith(`_${name}`))) {
  console.error(`a migration named ${name} already exists`);
  process.exit(1);
}
mkdirSync(folder);
writeFileSync(join(folder, 'migration.sql'), sql);
console.log(`wrote ${posix.relative(ROOT, folder)}/migration.sql:\n\n${sql}`);
console.log('apply it with `prisma migrate deploy` (npm start does) and run `pnpm generate`.');
