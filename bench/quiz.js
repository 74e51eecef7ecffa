// `npm run bench:quiz`: quiz submissions per second through the real form action of the built app, on a fresh
// database of the local PostgreSQL server (created and dropped here). Learners and their sessions are inserted
// directly; every submission is a plain urlencoded form POST as a browser without JavaScript sends it, with its own
// submission key, plus some sent twice on purpose (a double tap): those must not make a second attempt.
// Ends with one JSON line of the figures.
//
// Settings (environment): BENCH_LEARNERS (200), BENCH_SUBMISSIONS (5000 distinct), BENCH_DUPLICATES (250),
// BENCH_CONCURRENCY (64), BENCH_SECONDS (120, hard stop), DATABASE_POOL_SIZE (app's pool, default 10),
// BENCH_ACCEPT (html | json: what the client asks for; a browser without JavaScript gets the HTML page),
// BENCH_PROFILE (a directory: CPU profile of the app process), BENCH_FOLLOW (1: also open each result page),
// BENCH_WARMUP (0: submissions by other learners before the measured ones, not measured), BENCH_TIMELINE (1: print
// latency and app CPU per second of the run), BENCH_CLIENT (http, or fetch: what sends the submissions),
// BENCH_NODE_FLAGS (options for the app's Node.js, for example V8 flags, separated by spaces).
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ADMIN_URL, adminQuery, buildIfNeeded, cpuSeconds, findServerPid, httpRequest, sessionToken, startServer } from './support.js';

const LEARNERS = Number(process.env.BENCH_LEARNERS || 200);
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS || 5000);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES || 250);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 64);
const SECONDS = Number(process.env.BENCH_SECONDS || 120);
const ACCEPT = process.env.BENCH_ACCEPT === 'json' ? 'application/json' : 'text/html';
// BENCH_FOLLOW=1: after each submission, open the result page it redirects to, as a browser does.
const FOLLOW = process.env.BENCH_FOLLOW === '1';
const WARMUP = Number(process.env.BENCH_WARMUP || 0);
const CLIENT = process.env.BENCH_CLIENT === 'fetch' ? 'fetch' : 'http';



/** The quiz form of a lesson page, read as a browser would: radio/checkbox groups, text fields, selects. */
function readQuizForm(html) {
	const form = html.match(/<form method="POST" action="\?\/quiz">([\s\S]*?)<\/form>/);
	if (!form) return null;
	const choices = new Map();
	const texts = new Set();
	const selects = new Map();
	for (const m of form[1].matchAll(/<input([^>]*)>/g)) {
		const attr = (n) => m[1].match(new RegExp(`\\b${n}="([^"]*)"`))?.[1];
		const type = attr('type');
		const name = attr('name');
		if (!name || !name.startsWith('q.')) continue;
		if (type === 'radio' || type === 'checkbox') {
			if (!choices.has(name)) choices.set(name, { multiple: type === 'checkbox', values: [] });
			choices.get(name).values.push(attr('value'));
		} else if (type === 'text') texts.add(name);
	}
	for (const m of form[1].matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
		selects.set(m[1], [...m[2].matchAll(/<option value="([^"]+)"/g)].map((o) => o[1]));
	}
	return { choices, texts: [...texts], selects };
}

const pick = (a) => a[Math.floor(Math.random() * a.length)];

/** Random answers (some right, most not): what many learners trying a quiz send. */
function randomAnswers(form, key) {
	const body = new URLSearchParams();
	body.set('submission', key);
	for (const [name, g] of form.choices) {
		if (g.multiple) for (const v of g.values) if (Math.random() < 0.5) body.append(name, v);
		if (!g.multiple) body.set(name, pick(g.values));
	}
	for (const name of form.texts) body.set(name, pick(['12', '3,5', 'Cài đặt', 'không biết', '1']));
	for (const [name, options] of form.selects) body.set(name, pick(options));
	return body.toString();
}



function percentile(sorted, p) {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

buildIfNeeded();
const dbName = `hocso_bench_quiz_${process.pid}`;
await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await adminQuery(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;

let server;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 8 });
const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });
try {
	// BENCH_PROFILE=dir writes a CPU profile of the app process there (open it in Chrome's DevTools).
	// (--cpu-prof is not allowed in NODE_OPTIONS: a preloaded module drives the inspector instead.)
	const profile = process.env.BENCH_PROFILE
		? { NODE_OPTIONS: `--import=${new URL('./cpu-profile.js', import.meta.url).href}`, HOCSO_CPU_PROFILE_DIR: path.resolve(process.env.BENCH_PROFILE) }
		: {};
	server = await startServer({ DATABASE_URL: dbUrl.toString(), ...profile });

	// Lessons with a quiz, and their forms as the app renders them.
	const { rows: lessons } = await pool.query(`
		select c.slug as course, l.slug as lesson from lesson l
		join course c on c.id = l.course_id join lesson_version lv on lv.id = l.current_version_id
		where l.retired_at is null and c.retired_at is null and jsonb_array_length(lv.question_keys) > 0
		order by c.position, l.position`);
	const quizzes = [];
	for (const l of lessons.slice(0, 8)) {
		const url = `/courses/${l.course}/${l.lesson}`;
		const form = readQuizForm(await (await fetch(server.origin + url)).text());
		if (form) quizzes.push({ url, form });
	}
	if (!quizzes.length) throw new Error('no lesson with a quiz');

	// Learners with sessions, inserted directly (registering would measure argon2, not quizzes).
	const learners = [];
	const warmUserIds = [];
	const expires = new Date(Date.now() + 30 * 864e5);
	for (let i = 0; i < LEARNERS; i++) {
		const token = sessionToken();
		const { rows } = await pool.query(`insert into app_user (kind, full_name, audience) values ('learner', $1, 'citizen') returning id`, [`Học viên ${i + 1}`]);
		await pool.query(`insert into user_session (id, user_id, expires_at) values ($1, $2, $3)`, [createHash('sha256').update(token).digest('hex'), rows[0].id, expires]);
		learners.push({ id: rows[0].id, cookie: `session=${token}` });
	}

	// The work: SUBMISSIONS distinct (learner, key) pairs, and DUPLICATES of them sent a second time.
	const jobs = [];
	for (let i = 0; i < SUBMISSIONS; i++) {
		const learner = learners[i % learners.length];
		const quiz = quizzes[i % quizzes.length];
		const key = randomBytes(18).toString('base64url');
		jobs.push({ learner, quiz, body: randomAnswers(quiz.form, key), key });
	}
	for (let i = 0; i < DUPLICATES; i++) {
		const j = jobs[Math.floor((i * jobs.length) / Math.max(1, DUPLICATES))];
		// A resend goes out later, while other submissions are in flight.
		jobs.splice(Math.min(jobs.length, jobs.indexOf(j) + 1 + Math.floor(Math.random() * CONCURRENCY * 2)), 0, { ...j, duplicate: true });
	}

	/**
	 * One submission, as a browser without JavaScript posts the quiz form: with httpRequest over kept-alive
	 * connections (one per submission in flight), or with fetch (BENCH_CLIENT=fetch, as before).
	 */
	async function send(job) {
		const headers = {
			'content-type': 'application/x-www-form-urlencoded',
			accept: ACCEPT,
			origin: server.origin,
			cookie: job.learner.cookie
		};
		if (CLIENT === 'fetch') {
			const res = await fetch(`${server.origin}${job.quiz.url}?/quiz`, { method: 'POST', redirect: 'manual', headers, body: job.body });
			return { status: res.status, location: res.headers.get('location'), text: await res.text() };
		}
		const res = await httpRequest(`${server.origin}${job.quiz.url}?/quiz`, { agent, method: 'POST', headers, body: job.body });
		return { status: res.status, location: res.headers.location ?? null, text: res.body.toString('utf8') };
	}

	// BENCH_WARMUP=n: n submissions by other learners first, not measured (the figures of an app already running).
	// A new app process is what the default run measures: an exam-week burst may well meet one.
	if (WARMUP > 0) {
		const warmLearners = [];
		for (let i = 0; i < CONCURRENCY; i++) {
			const token = sessionToken();
			const { rows } = await pool.query(`insert into app_user (kind, full_name, audience) values ('learner', $1, 'citizen') returning id`, [`Khởi động ${i + 1}`]);
			await pool.query(`insert into user_session (id, user_id, expires_at) values ($1, $2, $3)`, [createHash('sha256').update(token).digest('hex'), rows[0].id, expires]);
			warmLearners.push({ id: rows[0].id, cookie: `session=${token}` });
		}
		let w = 0;
		await Promise.all(
			warmLearners.map(async (learner) => {
				while (w < WARMUP) {
					const quiz = quizzes[w++ % quizzes.length];
					const res = await send({ learner, quiz, body: randomAnswers(quiz.form, randomBytes(18).toString('base64url')) });
					if (res.status !== 303 && res.status !== 200) throw new Error(`warm-up submission answered ${res.status}`);
				}
			})
		);
		warmUserIds.push(...warmLearners.map((l) => l.id));
	}

	// CPU used by the app process and by the database backends serving it: on a machine shared with other work,
	// throughput and latency say more about the neighbours than about us; CPU per submission does not.
	const serverPid = findServerPid();
	const backendPids = async () =>
		(await pool.query(`select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName])).rows.map((r) => r.pid);
	const appCpu0 = serverPid && cpuSeconds(serverPid);
	const clientCpu0 = process.cpuUsage();
	const dbCpu0 = new Map((await backendPids()).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
	const latencies = [];
	/** Latencies of the resends alone (a resend waits for its first send's transaction: the same learner's lock). */
	const resendLatencies = [];
	/** [start since the run began, latency] of each submission, for the latency per second of the run. */
	const timeline = [];
	const pageLatencies = [];
	const errors = { status: 0, network: 0, content: 0, examples: [] };
	const sentKeys = new Set();
	let next = 0;
	const deadline = Date.now() + SECONDS * 1000;
	let timedOut = false;
	const started = performance.now();
	const startedAt = Date.now();
	// App CPU and submissions answered at each second of the run: what a submission costs as the process warms up.
	const cpuAt = [];
	const sampler = setInterval(() => cpuAt.push({ cpu: serverPid ? cpuSeconds(serverPid) : null, done: latencies.length }), 1000);
	async function worker() {
		for (;;) {
			if (Date.now() > deadline) {
				timedOut = true;
				return;
			}
			const job = jobs[next++];
			if (!job) return;
			const t0 = performance.now();
			try {
				const res = await send(job);
				const { text } = res;
				const ms = performance.now() - t0;
				latencies.push(ms);
				if (job.duplicate) resendLatencies.push(ms);
				timeline.push([t0 - started, ms]);
				sentKeys.add(`${job.learner.id}/${job.key}`);
				// The action answers a stored submission with a redirect to its result page (post/redirect/get).
				const location = ACCEPT === 'text/html' ? res.location : /"location":"([^"]+)"/.exec(text)?.[1];
				const ok = ACCEPT === 'text/html' ? res.status === 303 : res.status === 200 && text.includes('"type":"redirect"');
				if (!ok) {
					errors.status++;
					if (errors.examples.length < 3) errors.examples.push(`${res.status} ${text.slice(0, 200)}`);
				} else if (!location || !/[?&]lan-lam=\d+/.test(location)) {
					errors.content++;
					if (errors.examples.length < 3) errors.examples.push(`location: ${location}`);
				} else if (FOLLOW) {
					// As a browser does: open the result page the submission redirected to.
					const t1 = performance.now();
					const page = await fetch(new URL(location, server.origin), { headers: { accept: 'text/html', cookie: job.learner.cookie } });
					const html = await page.text();
					pageLatencies.push(performance.now() - t1);
					if (page.status !== 200 || !html.includes('Kết quả:')) {
						errors.content++;
						if (errors.examples.length < 3) errors.examples.push(`result page ${page.status} ${html.slice(0, 200)}`);
					}
				}
			} catch (e) {
				latencies.push(performance.now() - t0);
				errors.network++;
				if (errors.examples.length < 3) errors.examples.push(String(e));
			}
		}
	}
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	clearInterval(sampler);
	const seconds = (performance.now() - started) / 1000;
	const appCpu = serverPid && appCpu0 !== null ? cpuSeconds(serverPid) - appCpu0 : null;
	const clientCpu = process.cpuUsage(clientCpu0);
	// The app's pool: the CPU its backends used during the run (new ones: their whole lifetime).
	let dbCpu = 0;
	for (const pid of await backendPids()) dbCpu += (cpuSeconds(pid) ?? 0) - (dbCpu0.get(pid) ?? 0);

	// Latency by the second the submission was sent in: where in the run the slow ones are.
	const perSecond = [];
	for (const [at, ms] of timeline) (perSecond[Math.floor(at / 1000)] ??= []).push(ms);
	// Attempts that took the transaction (a learner's first attempt at the lesson, or their first pass), by second.
	const { rows: longWay } = await pool.query(`
		select floor(extract(epoch from created_at - $1::timestamptz))::int as s, count(*)::int as n from (
			select created_at, row_number() over (partition by user_id, lesson_id order by id) as nth,
				passed and not coalesce(bool_or(passed) over (partition by user_id, lesson_id order by id rows between unbounded preceding and 1 preceding), false) as first_pass
			from quiz_attempt where user_id <> all($2::int[])) a where nth = 1 or first_pass group by 1`, [new Date(startedAt), warmUserIds]);
	const longWayAt = new Map(longWay.map((r) => [r.s, r.n]));
	const timelineLines = perSecond.map((l, s) => {
		l.sort((a, b) => a - b);
		const from = s === 0 ? { cpu: appCpu0, done: 0 } : cpuAt[s - 1];
		const to = cpuAt[s];
		const cpu = from?.cpu != null && to?.cpu != null && to.done > from.done ? `, app CPU ${((to.cpu - from.cpu) * 1000 / (to.done - from.done)).toFixed(2)} ms per answer` : '';
		return `    ${s}s: ${l.length} sent (${longWayAt.get(s) ?? 0} first attempts or passes stored), p50 ${Math.round(percentile(l, 50))} ms, p99 ${Math.round(percentile(l, 99))} ms, max ${Math.round(l.at(-1))} ms${cpu}`;
	});
	latencies.sort((a, b) => a - b);
	resendLatencies.sort((a, b) => a - b);
	// How many of the slowest 1% were resends (each waited for its first send).
	const slowest = latencies[Math.floor(0.99 * latencies.length)] ?? Infinity;
	const slowResends = resendLatencies.filter((ms) => ms >= slowest).length;
	pageLatencies.sort((a, b) => a - b);
	const { rows: stored } = await pool.query(
		'select count(*)::int as n, count(distinct (user_id, submission_key))::int as distinct_n from quiz_attempt where user_id <> all($1::int[])',
		[warmUserIds]
	);
	const { rows: progress } = await pool.query('select count(*)::int as n from lesson_progress where user_id <> all($1::int[])', [warmUserIds]);
	const result = {
		bench: 'quiz',
		learners: LEARNERS,
		quizzes: quizzes.length,
		concurrency: CONCURRENCY,
		accept: ACCEPT,
		poolSize: Number(process.env.DATABASE_POOL_SIZE) || 10,
		requests: latencies.length,
		duplicatesSent: jobs.slice(0, next).filter((j) => j.duplicate).length,
		seconds: Math.round(seconds * 100) / 100,
		submissionsPerSecond: Math.round(latencies.length / seconds),
		p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
		p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
		maxMs: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
		resendP50Ms: Math.round(percentile(resendLatencies, 50) * 10) / 10,
		resendP99Ms: Math.round(percentile(resendLatencies, 99) * 10) / 10,
		followResultPage: FOLLOW,
		resultPageP50Ms: FOLLOW ? Math.round(percentile(pageLatencies, 50) * 10) / 10 : null,
		resultPageP99Ms: FOLLOW ? Math.round(percentile(pageLatencies, 99) * 10) / 10 : null,
		errors: errors.status + errors.network + errors.content,
		distinctSubmissionsSent: sentKeys.size,
		storedAttempts: stored[0].n,
		storedMatchesDistinct: stored[0].n === sentKeys.size && stored[0].distinct_n === stored[0].n,
		lessonProgressRows: progress[0].n,
		appCpuMsPerSubmission: appCpu === null ? null : Math.round((appCpu * 1000 * 100) / latencies.length) / 100,
		dbCpuMsPerSubmission: Math.round((dbCpu * 1000 * 100) / latencies.length) / 100,
		clientCpuMsPerSubmission: Math.round((clientCpu.user + clientCpu.system) / 10 / latencies.length) / 100,
		loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
		warmupSubmissions: WARMUP,
		client: CLIENT,
		timedOut
	};
	console.log(`quiz submissions: ${result.requests} requests (${result.duplicatesSent} resends) in ${result.seconds} s with ${CONCURRENCY} in flight`);
	console.log(`  ${result.submissionsPerSecond} submissions/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`);
	console.log(`  of which the ${resendLatencies.length} resends: p50 ${result.resendP50Ms} ms, p99 ${result.resendP99Ms} ms; ${slowResends} of the ${latencies.length - Math.floor(0.99 * latencies.length)} slowest 1% are resends`);
	if (process.env.BENCH_TIMELINE === '1') console.log(`  by the second it was sent:\n${timelineLines.join('\n')}`);
	if (FOLLOW) console.log(`  each followed by its result page: p50 ${result.resultPageP50Ms} ms, p99 ${result.resultPageP99Ms} ms (not in the figures above)`);
	console.log(`  errors: ${result.errors} (status ${errors.status}, network ${errors.network}, unexpected page ${errors.content})`);
	for (const e of errors.examples) console.log(`    e.g. ${e}`);
	if (result.appCpuMsPerSubmission !== null) {
		const perSub = result.appCpuMsPerSubmission + result.dbCpuMsPerSubmission;
		console.log(`  CPU per submission: app ${result.appCpuMsPerSubmission} ms + PostgreSQL ${result.dbCpuMsPerSubmission} ms (this client: ${result.clientCpuMsPerSubmission} ms)`);
		console.log(`  -> at most ~${Math.round((os.cpus().length * 1000) / perSub)} submissions/s if app and database had all ${os.cpus().length} cores (load average now ${result.loadAverage})`);
	}
	console.log(`  attempts stored: ${result.storedAttempts}, distinct submissions sent: ${result.distinctSubmissionsSent} (${result.storedMatchesDistinct ? 'equal' : 'MISMATCH'})`);
	console.log(JSON.stringify(result));
	if (!result.storedMatchesDistinct || result.errors) process.exitCode = 1;
} finally {
	await pool.end();
	agent.destroy();
	await server?.stop();
	await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
