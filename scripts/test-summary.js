// Totals over the runners' JSON reports: Vitest (reports/vitest.json) and Playwright (reports/playwright.json).
import fs from 'node:fs';

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

export function summarise() {
	let passed = 0;
	let failed = 0;
	const v = readJson('reports/vitest.json');
	if (v) {
		passed += v.numPassedTests ?? 0;
		failed += v.numFailedTests ?? 0;
		// A test file that fails to load has no failed test but a failed suite: count it.
		if (!v.numFailedTests && v.numFailedTestSuites) failed += v.numFailedTestSuites;
	} else failed += 1; // a runner that wrote no report counts as a failure
	const p = readJson('reports/playwright.json');
	if (p?.stats) {
		passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
		failed += p.stats.unexpected ?? 0;
		if (p.errors?.length && !p.stats.expected && !p.stats.unexpected) failed += 1;
	} else failed += 1;
	return { passed, failed, line: `${passed} passed, ${failed} failed` };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(summarise().line);
