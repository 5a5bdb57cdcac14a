#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium for the browser test
// (tests/integration/test/browser.test.ts). Test tools' own browser downloads cannot work on
// these machines; the Debian package can. Run by `npm test` and `.ci/run`; alone:
// `node scripts/ensure-chromium.mjs`.
import { ensureChromium } from './lib.mjs';

process.exit((await ensureChromium()) ? 0 : 1);
