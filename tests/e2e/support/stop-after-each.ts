import { test } from '@playwright/test';

/**
 * What a test starts (the app, a dev server, a database), stopped after it even when it timed out: its own clean-up
 * then never runs, and what it left running would hold its port, data directory or database for the tests after it.
 * Called once at the top of a spec file; each test adds the stop function of what it starts. A stop may run after
 * the test's own clean-up already did, so it must do nothing the second time.
 */
export function stopAfterEachTest(): Set<() => unknown> {
	const started = new Set<() => unknown>();
	test.afterEach(async () => {
		for (const stop of started) await stop();
		started.clear();
	});
	return started;
}
