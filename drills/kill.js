// `npm run drill:kill`: the app on its embedded database (PGlite, the default of `npm start`) takes quiz
// submissions from many learners at once and is killed with SIGKILL several times mid-flight; each time it is
// started again on the same data directory at once, as a supervisor would. No acknowledged submission may be lost.
// Ends with one JSON line: requests sent, acknowledged, stored, lost (must be 0), errors while it was down, seconds
// from each kill to the next acknowledged submission (the slowest is `secondsToRecover`).
//
// Settings (environment): DRILL_LEARNERS (20), DRILL_CONCURRENCY (16), DRILL_KILLS (3), DRILL_SKIP_BUILD.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { FIXTURE_CONTENT, buildIfNeeded, freePort, newKey, phoneNumber, registerLearner, sleep, startApp, submitQuiz } from './support.js';

/** @param {{ learners?: number, concurrency?: number, kills?: number }} [opts] */
export async function runKillDrill(opts = {}) {
	const learnersN = opts.learners ?? 20;
	const concurrency = opts.concurrency ?? 16;
	const kills = opts.kills ?? 3;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-drill-kill-'));
	const port = await freePort();
	const env = { DATABASE_URL: '', HOCSO_DATA_DIR: dataDir, HOCSO_CONTENT_DIR: FIXTURE_CONTENT };
	let app = await startApp(env, { port });
	try {
		const learners = [];
		for (let i = 0; i < learnersN; i++) learners.push({ cookie: await registerLearner(app.origin, { name: `Học viên ${i + 1}`, phone: phoneNumber(i) }) });

		const counts = { sent: 0, acknowledged: 0, errorsWhileDown: 0, errorsWhileUp: 0 };
		/** @type {Set<string>} */
		const acknowledged = new Set();
		/** @type {string[]} */
		const unexpected = [];
		let up = true;
		let killedAt = 0;
		let waitingForAck = false;
		/** @type {number[]} */
		const recoveries = [];
		let stop = false;
		let n = 0;
		async function worker() {
			while (!stop) {
				const learner = learners[n++ % learners.length];
				const key = newKey();
				counts.sent++;
				const r = await submitQuiz(app.origin, learner, key, n % 2 ? 'true' : 'false');
				if (r.acknowledged) {
					counts.acknowledged++;
					acknowledged.add(key);
					if (waitingForAck) {
						waitingForAck = false;
						recoveries.push(Math.round((performance.now() - killedAt) / 10) / 100);
					}
				} else {
					if (up && !waitingForAck) {
						counts.errorsWhileUp++;
						if (unexpected.length < 5) unexpected.push(`${r.status} ${r.text.slice(0, 300)}`);
					} else counts.errorsWhileDown++;
					await sleep(50);
				}
			}
		}
		const workers = Array.from({ length: concurrency }, worker);
		for (let k = 0; k < kills; k++) {
			await sleep(2000);
			up = false;
			waitingForAck = true;
			killedAt = performance.now();
			app.kill('SIGKILL');
			await app.exited;
			app = await startApp(env, { port });
			up = true;
			const deadline = Date.now() + 60_000;
			while (waitingForAck && Date.now() < deadline) await sleep(50);
		}
		await sleep(1000);
		stop = true;
		await Promise.all(workers);
		await app.stop();

		// Every acknowledged submission must be stored, once.
		const db = new PGlite(path.join(dataDir, 'pgdata'));
		const { rows } = await db.query('select submission_key from quiz_attempt where submission_key = any($1)', [[...acknowledged]]);
		const { rows: dup } = await db.query('select count(*)::int as n from (select 1 from quiz_attempt group by user_id, submission_key having count(*) > 1) d');
		await db.close();
		const stored = new Set(rows.map((/** @type {any} */ r) => r.submission_key)).size;
		return {
			drill: 'kill',
			database: 'pglite',
			kills,
			sent: counts.sent,
			acknowledged: counts.acknowledged,
			stored,
			lost: counts.acknowledged - stored,
			duplicates: /** @type {any} */ (dup[0]).n,
			errorsDuringOutage: counts.errorsWhileDown,
			errorsOutsideOutage: counts.errorsWhileUp,
			secondsToRecover: recoveries.length === kills ? Math.max(...recoveries) : null,
			recoverySeconds: recoveries,
			unexpected
		};
	} finally {
		await app.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	buildIfNeeded();
	const result = await runKillDrill({
		learners: Number(process.env.DRILL_LEARNERS || 20),
		concurrency: Number(process.env.DRILL_CONCURRENCY || 16),
		kills: Number(process.env.DRILL_KILLS || 3)
	});
	const { unexpected, ...figures } = result;
	for (const u of unexpected) console.error(`unexpected answer: ${u}`);
	console.log(JSON.stringify(figures));
	if (result.lost || result.secondsToRecover === null || result.errorsOutsideOutage || result.duplicates) process.exitCode = 1;
}
