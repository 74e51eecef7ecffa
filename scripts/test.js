// `npm test`: the whole suite. Unit and integration tests (Vitest, on PGlite and on the PostgreSQL server),
// then end-to-end tests (Playwright in Chromium). Both runners write JSON reports to reports/; the totals
// are printed at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { summarise } from './test-summary.js';

fs.rmSync('reports', { recursive: true, force: true });
fs.mkdirSync('reports', { recursive: true });
const bin = (name) => `node_modules/.bin/${name}`;

const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json'], { stdio: 'inherit' });
const playwright = spawnSync(bin('playwright'), ['test'], { stdio: 'inherit' });

const { passed, failed, line } = summarise();
console.log(`\n${line}`);
process.exitCode = vitest.status === 0 && playwright.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
