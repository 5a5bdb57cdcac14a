#!/usr/bin/env node
// `npm start`: install, build, then run the whole hub (see README "Run it").
import { installAndBuild, log, ROOT, runOrExit } from './lib.mjs';

const started = performance.now();
await installAndBuild(['@hub/launcher...']);
log(`installed and built in ${((performance.now() - started) / 1000).toFixed(1)}s; starting`);
await runOrExit(process.execPath, ['launcher/dist/index.js'], { cwd: ROOT });
