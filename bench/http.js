// `npm run bench:http`: requests per second of server-side rendering, measured side by side in one run on the
// built app over a fresh database of the local PostgreSQL server (created and dropped here): a text lesson read
// anonymously and by a logged-in learner, a quiz result page, the simplest page (/about) and a static file.
// No compression (autocannon asks for none). Besides requests per second and latency, it reports the app's
// CPU time per request, which on a machine shared with other work says more than throughput.
// Ends with one JSON line: lessonRps, simplestRps, ratio, loggedInRatio, lessonP99Ms, ...
//
// Settings (environment): BENCH_CONNECTIONS (20), BENCH_DURATION (10 seconds per target),
// BENCH_ONLY (comma-separated target keys: lesson, lessonLoggedIn, result, simplest, static; all by default),
// BENCH_PROFILE (a directory: CPU profile of the app process, see bench/cpu-profile.js).
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { ADMIN_URL, adminQuery, buildIfNeeded, cpuSeconds, findServerPid, sessionToken, startServer } from './support.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20);
const DURATION = Number(process.env.BENCH_DURATION || 10);

buildIfNeeded();
const dbName = `hocso_bench_http_${process.pid}`;
await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await adminQuery(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
let server;
try {
	const profile = process.env.BENCH_PROFILE
		? { NODE_OPTIONS: `--import=${new URL('./cpu-profile.js', import.meta.url).href}`, HOCSO_CPU_PROFILE_DIR: path.resolve(process.env.BENCH_PROFILE) }
		: {};
	server = await startServer({ DATABASE_URL: dbUrl.toString(), ...profile });
	const serverPid = findServerPid();

	// A text lesson with a quiz and no video: the page most learners open.
	const { rows } = await pool.query(`
		select c.slug as course, l.slug as lesson from lesson l
		join course c on c.id = l.course_id join lesson_version lv on lv.id = l.current_version_id
		where l.retired_at is null and c.retired_at is null and jsonb_array_length(lv.question_keys) > 0
		order by c.position, l.position`);
	let lessonPath = null;
	for (const r of rows) {
		const html = await (await fetch(`${server.origin}/courses/${r.course}/${r.lesson}`)).text();
		if (!html.includes('<video')) {
			lessonPath = `/courses/${r.course}/${r.lesson}`;
			break;
		}
	}
	if (!lessonPath) throw new Error('no text lesson with a quiz');

	// A learner with a session (inserted directly), and one attempt of theirs to show as a result page.
	const token = sessionToken();
	const { rows: users } = await pool.query(`insert into app_user (kind, full_name, audience) values ('learner', 'Học viên đo', 'citizen') returning id`);
	await pool.query(`insert into user_session (id, user_id, expires_at) values ($1, $2, now() + interval '30 days')`, [
		createHash('sha256').update(token).digest('hex'),
		users[0].id
	]);
	const cookie = `session=${token}`;
	const lessonHtml = await (await fetch(server.origin + lessonPath, { headers: { cookie } })).text();
	const key = /name="submission" value="([^"]+)"/.exec(lessonHtml)?.[1];
	if (!key) throw new Error('no submission key on the lesson page');
	const submit = await fetch(`${server.origin}${lessonPath}?/quiz`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: server.origin },
		body: new URLSearchParams({ submission: key }).toString()
	});
	const resultPath = submit.headers.get('location')?.replace(/#.*$/, '');
	if (!resultPath || !/lan-lam=\d+/.test(resultPath)) throw new Error(`quiz submission did not redirect to a result (${submit.status})`);

	const staticPath = '/favicon.svg';
	const targets = [
		{ name: 'lesson (anonymous)', key: 'lesson', path: lessonPath },
		{ name: 'lesson (logged in)', key: 'lessonLoggedIn', path: lessonPath, headers: { cookie } },
		{ name: 'quiz result', key: 'result', path: resultPath, headers: { cookie } },
		{ name: 'simplest page', key: 'simplest', path: '/about' },
		{ name: 'static file', key: 'static', path: staticPath }
	];
	const only = process.env.BENCH_ONLY?.split(',');
	const results = {};
	for (const t of targets) {
		if (only && !only.includes(t.key)) continue;
		const check = await fetch(server.origin + t.path, { headers: t.headers });
		if (check.status !== 200) throw new Error(`${t.path}: HTTP ${check.status}`);
		// A short warm-up, then the measured run.
		await autocannon({ url: server.origin + t.path, connections: CONNECTIONS, duration: 2, headers: t.headers });
		const cpu0 = serverPid && cpuSeconds(serverPid);
		const r = await autocannon({ url: server.origin + t.path, connections: CONNECTIONS, duration: DURATION, headers: t.headers });
		const cpu1 = serverPid && cpuSeconds(serverPid);
		const ok = r['2xx'];
		results[t.key] = {
			rps: Math.round(r.requests.average),
			p50Ms: r.latency.p50,
			p99Ms: r.latency.p99,
			errors: r.errors + r.timeouts + r.non2xx,
			cpuMsPerRequest: cpu0 !== null && cpu1 !== null && ok ? Math.round(((cpu1 - cpu0) * 1000 * 1000) / ok) / 1000 : null
		};
		const x = results[t.key];
		console.log(`${t.name.padEnd(20)} ${String(x.rps).padStart(6)} req/s  p50 ${x.p50Ms} ms  p99 ${x.p99Ms} ms  app CPU ${x.cpuMsPerRequest} ms/request  errors ${x.errors}`);
	}
	const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
	const summary = {
		bench: 'http',
		connections: CONNECTIONS,
		seconds: DURATION,
		lessonPath,
		lessonRps: results.lesson?.rps,
		lessonLoggedInRps: results.lessonLoggedIn?.rps,
		resultRps: results.result?.rps,
		simplestRps: results.simplest?.rps,
		staticRps: results.static?.rps,
		ratio: ratio(results.lesson?.rps, results.simplest?.rps),
		loggedInRatio: ratio(results.lessonLoggedIn?.rps, results.simplest?.rps),
		lessonP99Ms: results.lesson?.p99Ms,
		lessonLoggedInP99Ms: results.lessonLoggedIn?.p99Ms,
		cpuMsPerRequest: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.cpuMsPerRequest])),
		// The same ratios from the app's CPU time per request (simplest / lesson): steadier on a busy machine.
		cpuRatio: ratio(results.simplest?.cpuMsPerRequest, results.lesson?.cpuMsPerRequest),
		loggedInCpuRatio: ratio(results.simplest?.cpuMsPerRequest, results.lessonLoggedIn?.cpuMsPerRequest),
		errors: Object.values(results).reduce((n, v) => n + v.errors, 0),
		loadAverage: Math.round(os.loadavg()[0] * 10) / 10
	};
	console.log(JSON.stringify(summary));
} finally {
	await server?.stop();
	await pool.end();
	await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
