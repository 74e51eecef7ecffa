// Totals over the runners' reports in reports/: Vitest (vitest.json, and vitest-node-*.json from a second Node.js),
// Playwright (playwright.json), and one passed or failed check each for the type check and the lint
// (<name>.status.json), and one failed check for a runner that exited with an error its report does not count
// (<runner>-exit.status.json).
import fs from 'node:fs';
import path from 'node:path';

const DIR = 'reports';

export function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

/** Records the outcome of a command that is not a test runner; a later failure of the same name wins. */
export function writeStatus(name, ok) {
	fs.mkdirSync(DIR, { recursive: true });
	const file = path.join(DIR, `${name}.status.json`);
	const before = readJson(file);
	fs.writeFileSync(file, JSON.stringify({ name, ok: ok && (before?.ok ?? true) }));
}

function countVitest(v) {
	if (!v) return { passed: 0, failed: 1 }; // a runner that wrote no report counts as a failure
	let failed = v.numFailedTests ?? 0;
	// A test file that fails to load has no failed test but a failed suite: count it.
	if (!failed && v.numFailedTestSuites) failed += v.numFailedTestSuites;
	return { passed: v.numPassedTests ?? 0, failed };
}

function countPlaywright(p) {
	if (!p?.stats) return { passed: 0, failed: 1 };
	// An error outside any test (a worker that crashed, a fixture's teardown, the global set-up) fails the run.
	const failed = (p.stats.unexpected ?? 0) + (p.errors?.length ?? 0);
	return { passed: (p.stats.expected ?? 0) + (p.stats.flaky ?? 0), failed };
}

/** Whether summarise() already counts a failure for this runner's report (a Vitest or Playwright JSON file). */
export function reportCountsFailure(file) {
	// A missing vitest.json or playwright.json counts as a failure; a missing second-Node.js report is not looked for.
	if (!fs.existsSync(file)) return ['vitest.json', 'playwright.json'].includes(path.basename(file));
	const report = readJson(file);
	const count = path.basename(file).startsWith('playwright') ? countPlaywright(report) : countVitest(report);
	return count.failed > 0;
}

export function summarise() {
	let passed = 0;
	let failed = 0;
	const files = fs.existsSync(DIR) ? fs.readdirSync(DIR) : [];
	const vitestReports = ['vitest.json', ...files.filter((f) => /^vitest-node-.*\.json$/.test(f) && !f.endsWith('.status.json'))];
	for (const f of vitestReports) {
		const c = countVitest(readJson(path.join(DIR, f)));
		passed += c.passed;
		failed += c.failed;
	}
	const p = countPlaywright(readJson(path.join(DIR, 'playwright.json')));
	passed += p.passed;
	failed += p.failed;
	for (const f of files.filter((f) => f.endsWith('.status.json'))) {
		if (/^vitest-node-/.test(f) && vitestReports.includes(f.replace('.status.json', '.json'))) continue;
		if (readJson(path.join(DIR, f))?.ok) passed += 1;
		else failed += 1;
	}
	return { passed, failed, line: `${passed} passed, ${failed} failed` };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(summarise().line);
