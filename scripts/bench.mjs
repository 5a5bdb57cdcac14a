#!/usr/bin/env node
// `npm run bench [suite…]`: build, then run the benchmark (bench/src/run.ts), which starts the hub itself.
import { installAndBuild, ROOT, runOrExit } from './lib.mjs';

await installAndBuild(['@hub/bench...', '@hub/launcher...']);
await runOrExit(process.execPath, ['bench/dist/run.js', ...process.argv.slice(2)], { cwd: ROOT });
