import { expect, test } from '@playwright/test';
import { runDbRestartDrill } from '../../drills/db-restart.js';

// The built app on a private PostgreSQL server (started here from the npm registry's binaries, never the machine's
// shared server): its connections are ended under running quiz submissions, then the server is stopped and
// started again while submissions keep coming.

test('the app lives through ended connections and a PostgreSQL restart, answers 503 meanwhile, and recovers', { tag: '@phone-only' }, async () => {
	test.setTimeout(240_000);
	const r = await runDbRestartDrill({ learners: 20, concurrency: 16, terminations: 3, outageSeconds: 4 });
	expect(r.unexpected).toEqual([]);
	expect(r.connectionsTerminated).toBeGreaterThan(0);
	expect(r.processAlive).toBe(true);
	// While the server was down: 503 with Retry-After and the Vietnamese page, for a page and for a form post.
	expect(r.outage).toEqual({
		pageStatus: 503,
		pageRetryAfter: '30',
		pageSaysTryLater: true,
		pageHasStackTrace: false,
		postStatus: 503,
		postRetryAfter: '30',
		postSaysTryLater: true
	});
	expect(r.errorsDuringOutage).toBeGreaterThan(0);
	expect(r.errorsOutsideOutage).toBe(0);
	// Back by itself once the server is, and nothing acknowledged was lost or stored twice.
	expect(r.secondsToRecover).not.toBeNull();
	expect(r.acknowledged).toBeGreaterThan(0);
	expect(r.lost).toBe(0);
	expect(r.stored).toBe(r.acknowledged);
	expect(r.duplicates).toBe(0);
});
