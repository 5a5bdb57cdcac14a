// Rewrites the generated part of docs/authorization.md from rules.ts (the matrix test fails
// until this has been run after a rule changes).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRenderedMatrix } from './matrix-doc.js';

const path = new URL('../../../../docs/authorization.md', import.meta.url).pathname;
writeFileSync(path, withRenderedMatrix(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);
