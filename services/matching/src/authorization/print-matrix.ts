// Rewrites matching's generated part of docs/authorization.md from rules.ts (the matrix test
// fails until this has been run after a rule changes).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRenderedWorkerMatrix } from './matrix-doc.js';

const path = new URL('../../../../docs/authorization.md', import.meta.url).pathname;
writeFileSync(path, withRenderedWorkerMatrix(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);
