// `npm run drill:db-restart`: the app on a private PostgreSQL server (never the machine's shared one) takes quiz
// submissions from many learners at once while its connections are ended under it (pg_terminate_backend) and then
// the server is stopped and started again. The app must live through it, answer 503 (with Retry-After and a page
// in Vietnamese) while the database is away, recover by itself, and lose no acknowledged submission.
// Ends with one JSON line: requests sent, acknowledged, stored, lost (must be 0), errors during the outage, seconds
// to recover, and what the outage looked like to a visitor.
//
// Settings (environment): DRILL_LEARNERS (50), DRILL_CONCURRENCY (32), DRILL_TERMINATIONS (3),
// DRILL_OUTAGE_SECONDS (5), DRILL_SKIP_BUILD (1: use the existing build/).
import pg from 'pg';
import { startPrivatePostgres } from '../scripts/private-postgres.js';
import { FIXTURE_CONTENT, ONE_QUESTION_LESSON, buildIfNeeded, createLearners, newKey, sleep, startApp, submitQuiz } from './support.js';

/**
 * @param {{ learners?: number, concurrency?: number, terminations?: number, outageSeconds?: number, pgPort?: number, appPort?: number }} [opts]
 */
export async function runDbRestartDrill(opts = {}) {
	const learnersN = opts.learners ?? 50;
	const concurrency = opts.concurrency ?? 32;
	const terminations = opts.terminations ?? 3;
	const outageSeconds = opts.outageSeconds ?? 5;
	const server = await startPrivatePostgres({ port: opts.pgPort });
	/** @type {Awaited<ReturnType<typeof startApp>> | undefined} */
	let app;
	const pool = new pg.Pool({ connectionString: server.url, max: 2 });
	pool.on('error', () => {}); // the drill's own connections are ended by the restart too
	try {
		await pool.query('create database hocso');
		const dbUrl = server.url.replace(/\/postgres$/, '/hocso');
		const started = await startApp({ DATABASE_URL: dbUrl, HOCSO_CONTENT_DIR: FIXTURE_CONTENT, DATABASE_POOL_SIZE: '10' }, { port: opts.appPort });
		app = started;
		const appDb = new pg.Pool({ connectionString: dbUrl, max: 2 });
		appDb.on('error', () => {});
		const learners = await createLearners(appDb, learnersN);
		await appDb.end();

		let phase = 'before';
		const counts = { sent: 0, acknowledged: 0, errorsDuringOutage: 0, errorsOutsideOutage: 0 };
		/** @type {Map<string, number>} acknowledged key -> learner id */
		const acknowledged = new Map();
		/** @type {string[]} */
		const unexpected = [];
		let firstAckAfterRestart = 0;
		let restartedAt = 0;
		let stop = false;
		let n = 0;
		async function worker() {
			while (!stop) {
				const learner = learners[n++ % learners.length];
				const key = newKey();
				counts.sent++;
				// The phase the submission was sent in: one sent before the app was seen to recover (phase 'restarted')
				// may rightly be answered 503 even when that answer arrives after the recovery.
				const sentIn = phase;
				const r = await submitQuiz(started.origin, learner, key, n % 2 ? 'true' : 'false');
				if (r.acknowledged) {
					counts.acknowledged++;
					acknowledged.set(key, learner.id);
					if (phase === 'restarted' && !firstAckAfterRestart) firstAckAfterRestart = performance.now();
				} else {
					// While connections are being ended or the server is down, a 503 is the right answer; any other
					// refusal, or one outside the outage, is reported (once).
					const outside = (sentIn === 'before' && phase === 'before') || sentIn === 'after';
					if (outside) counts.errorsOutsideOutage++;
					else counts.errorsDuringOutage++;
					if ((outside || (r.status !== 503 && r.status !== 0)) && unexpected.length < 5) {
						unexpected.push(`sent ${sentIn}, answered ${phase}: ${r.status} ${r.text.slice(0, 300)}`);
					}
					await sleep(50);
				}
			}
		}
		const workers = Array.from({ length: concurrency }, worker);
		await sleep(2000);

		// Connections ended under running queries.
		phase = 'terminating';
		let terminated = 0;
		for (let i = 0; i < terminations; i++) {
			const { rows } = await pool.query(`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = 'hocso' and pid <> pg_backend_pid()`);
			terminated += rows[0].n;
			await sleep(700);
		}
		const aliveAfterTerminations = app.exitCode() === null;

		// The server stopped while submissions are in flight; what a visitor sees meanwhile.
		phase = 'outage';
		await pool.end();
		await server.stop();
		await sleep(500);
		const probeLearner = learners[0];
		const page = await fetch(`${app.origin}${ONE_QUESTION_LESSON}`, { headers: { accept: 'text/html', cookie: probeLearner.cookie } }).catch(() => null);
		const pageText = (await page?.text()) ?? '';
		const post = await submitQuiz(app.origin, probeLearner, newKey(), 'true');
		const outage = {
			pageStatus: page?.status ?? 0,
			pageRetryAfter: page?.headers.get('retry-after') ?? null,
			pageSaysTryLater: pageText.includes('thử lại sau ít phút'),
			pageHasStackTrace: /\n\s+at /.test(pageText) || pageText.includes('node_modules'),
			postStatus: post.status,
			postRetryAfter: post.retryAfter ?? null,
			postSaysTryLater: post.text.includes('thử lại sau ít phút')
		};
		await sleep(Math.max(0, outageSeconds * 1000 - 500));
		const aliveDuringOutage = app.exitCode() === null;

		phase = 'restarted';
		await server.start();
		restartedAt = performance.now();
		// Recovered: the first submission acknowledged after the server is back.
		const deadline = Date.now() + 60_000;
		while (!firstAckAfterRestart && Date.now() < deadline && app.exitCode() === null) await sleep(50);
		phase = 'after';
		await sleep(2000);
		stop = true;
		await Promise.all(workers);

		// Every acknowledged submission must be stored, once.
		const check = new pg.Client({ connectionString: dbUrl });
		await check.connect();
		const { rows } = await check.query('select user_id, submission_key from quiz_attempt where submission_key = any($1)', [[...acknowledged.keys()]]);
		const { rows: dup } = await check.query('select count(*)::int as n from (select 1 from quiz_attempt group by user_id, submission_key having count(*) > 1) d');
		await check.end();
		const stored = rows.filter((r) => acknowledged.get(r.submission_key) === Number(r.user_id)).length;
		return {
			drill: 'db-restart',
			sent: counts.sent,
			acknowledged: counts.acknowledged,
			stored,
			lost: counts.acknowledged - stored,
			duplicates: dup[0].n,
			errorsDuringOutage: counts.errorsDuringOutage,
			errorsOutsideOutage: counts.errorsOutsideOutage,
			connectionsTerminated: terminated,
			outageSeconds,
			secondsToRecover: firstAckAfterRestart ? Math.round((firstAckAfterRestart - restartedAt) / 10) / 100 : null,
			processAlive: aliveAfterTerminations && aliveDuringOutage && app.exitCode() === null,
			outage,
			unexpected
		};
	} finally {
		await pool.end().catch(() => {});
		await app?.stop();
		await server.remove();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	buildIfNeeded();
	const result = await runDbRestartDrill({
		learners: Number(process.env.DRILL_LEARNERS || 50),
		concurrency: Number(process.env.DRILL_CONCURRENCY || 32),
		terminations: Number(process.env.DRILL_TERMINATIONS || 3),
		outageSeconds: Number(process.env.DRILL_OUTAGE_SECONDS || 5)
	});
	const { unexpected, ...figures } = result;
	for (const u of unexpected) console.error(`unexpected answer: ${u}`);
	console.log(JSON.stringify(figures));
	if (result.lost || !result.processAlive || result.secondsToRecover === null || result.errorsOutsideOutage || result.duplicates) process.exitCode = 1;
}
