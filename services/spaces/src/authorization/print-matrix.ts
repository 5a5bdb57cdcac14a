// Rewrites spaces' generated part of docs/authorization.md from rules.ts (the patrol-visit test
// fails until this has been run after a rule changes).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRenderedSpacesMatrix } from './matrix-doc.js';

const path = new URL('../../../../docs/authorization.md', import.meta.url).pathname;
writeFileSync(path, withRenderedSpacesMatrix(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);
