import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT || 4173);
// Debian's headless shell (package chromium-headless-shell) when it is there: the same Blink and V8 as the full
// browser without its windowing layer, and the suite runs in two thirds of the time (8.5 against 14.5 minutes on
// this 2-core machine). Otherwise Debian's chromium. CHROME_PATH picks another (the full browser for --headed).
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
const chromium = process.env.CHROME_PATH || (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');
const launchOptions = {
	executablePath: chromium,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
};

export default defineConfig({
	testDir: 'tests/e2e',
	// A file's tests run in order in one worker; two files (or one file's phone and desktop runs) at a time. Files
	// whose tests are independent and long say so (test.describe.configure({ mode: 'parallel' }): courses, budgets'
	// public pages, process, publishing, practice-sims) and their tests spread over both workers. They share the
	// suite's server and database, so each test makes its own people (freshPhone) and specs needing state of their
	// own start a fixture app. HOCSO_E2E_WORKERS sets another number.
	fullyParallel: false,
	workers: Number(process.env.HOCSO_E2E_WORKERS) || 2,
	retries: 0,
	// The same machine is 2 to 3 times slower on some days (a test of 22 s took 58 s): the limit leaves room for it.
	timeout: 120_000,
	reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
	use: { baseURL: `http://127.0.0.1:${PORT}`, launchOptions, trace: 'off' },
	projects: [
		{ name: 'phone', grepInvert: /@desktop-only/, use: { ...devices['Pixel 5'], viewport: { width: 360, height: 800 }, launchOptions } },
		{ name: 'desktop', grepInvert: /@phone-only/, testIgnore: /(courses|process|publishing)\.spec\.ts/, use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions } }
	],
	webServer: {
		command: 'node tests/e2e/serve.js',
		url: `http://127.0.0.1:${PORT}/courses`,
		timeout: 240_000,
		reuseExistingServer: false,
		// Lets serve.js stop the app and drop its database.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
		stdout: 'pipe',
		stderr: 'pipe',
		env: { PORT: String(PORT) }
	}
});
