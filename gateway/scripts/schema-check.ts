// `pnpm schema:check`: what changed in the public schema since the base of this change, and
// whether every breaking or dangerous change is recorded in docs/schema-changes.md.
// `--all` lists the safe changes too. Exit 1 when the check fails.
import {
  formatSchemaCheckReport,
  isSchemaCheckPassed,
  runSchemaCheck,
  schemaCheckOptionsFromEnv,
} from '../src/schema-check/run.js';

async function main(): Promise<number> {
  try {
    const report = await runSchemaCheck(schemaCheckOptionsFromEnv(process.env));
    const listSafe = process.argv.includes('--all');
    process.stdout.write(`${formatSchemaCheckReport(report, { listSafe })}\n`);
    return isSchemaCheckPassed(report) ? 0 : 1;
  } catch (error) {
    process.stderr.write(
      `Schema check could not run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = await main();
