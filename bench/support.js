// Shared by the benchmark scripts: build the app if needed and serve it on a free local port.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function buildIfNeeded() {
	if (process.env.BENCH_SKIP_BUILD === '1' && fs.existsSync('build/handler.js') && fs.existsSync('build/pgdata-template/PG_VERSION')) return;
	// A production build, also when the bench runs under vite-node (which sets NODE_ENV=development: the build
	// would then compile Svelte components in development mode, with their per-element checks).
	const env = { ...process.env, NODE_ENV: 'production' };
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env });
	if (r.status !== 0) throw new Error('vite build failed');
	const t = spawnSync(process.execPath, ['node_modules/vite-node/dist/cli.mjs', 'scripts/pglite-template.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env });
	if (t.status !== 0) throw new Error('scripts/pglite-template.ts failed');
}

export async function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/** Starts `node server.js`; resolves when it answers. `env` adds to the environment (DATABASE_URL...). */
export async function startServer(env = {}) {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bench-'));
	const origin = `http://127.0.0.1:${port}`;
	// BENCH_NODE_FLAGS: options for the app's Node.js (for example V8 flags), separated by spaces.
	const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...flags, 'server.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, HOCSO_DATA_DIR: dataDir, ...env }
	});
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			const r = await fetch(`${origin}/courses`);
			if (r.ok) break;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error('server did not start in 120 s');
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		origin,
		async stop() {
			child.kill('SIGTERM');
			await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** The PostgreSQL server the benchmarks create their databases on. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A session token as the app makes them: 20 random bytes, base32 lowercase without padding (32 characters). */
export function sessionToken() {
	const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
	const bytes = randomBytes(20);
	let bits = 0;
	let value = 0;
	let out = '';
	for (const b of bytes) {
		value = (value << 8) | b;
		bits += 8;
		while (bits >= 5) {
			out += B32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	return out;
}

export async function adminQuery(sqlText) {
	const c = new pg.Client({ connectionString: ADMIN_URL });
	await c.connect();
	try {
		await c.query(sqlText);
	} finally {
		await c.end();
	}
}

const TICKS = 100; // USER_HZ on Linux
/** CPU seconds (user + system) a process has used so far, from /proc; null where /proc is unavailable. */
export function cpuSeconds(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / TICKS;
	} catch {
		return null;
	}
}

/** The app process started by startServer: our child running server.js. */
export function findServerPid() {
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === process.pid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('server.js')) return Number(d);
		} catch {
			// gone
		}
	}
	return null;
}

/** Cookies set by a response, as a Cookie header value merged into `jar` (a Map of name -> value). */
function keepCookies(res, jar) {
	for (const c of res.headers.getSetCookie()) {
		const [pair] = c.split(';');
		const i = pair.indexOf('=');
		const value = pair.slice(i + 1);
		if (value) jar.set(pair.slice(0, i), value);
		else jar.delete(pair.slice(0, i));
	}
}
const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Posts a form the way a browser does (Origin set, HTML accepted) and returns the response without following it. */
async function postForm(origin, path, fields, jar) {
	const res = await fetch(origin + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { Origin: origin, Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(jar) },
		body: new URLSearchParams(fields)
	});
	keepCookies(res, jar);
	return res;
}

/**
 * A learner of a running app: registers a new account, then can send a lesson's quiz. `cookies` lists the session
 * cookies for a browser context (Playwright's addCookies) or a Cookie header (Lighthouse).
 */
export async function newLearner(origin) {
	const jar = new Map();
	const res = await postForm(
		origin,
		'/register',
		{ intent: 'register', full_name: 'Người Đo Trang', username: `do.trang${Date.now() % 1e8}`, password: 'lua chin vang dong', password_repeat: 'lua chin vang dong', audience: 'citizen', consent: 'yes' },
		jar
	);
	if (res.status !== 303) throw new Error(`registering answered ${res.status}`);
	return {
		cookieHeader: () => cookieHeader(jar),
		cookies: () => [...jar].map(([name, value]) => ({ name, value, url: origin })),
		/** Sends the quiz of a lesson with `answers` (field -> value); resolves to the result page's path. */
		async submitQuiz(lessonPath, answers = {}) {
			const page = await (await fetch(origin + lessonPath, { headers: { Cookie: cookieHeader(jar) } })).text();
			const key = /name="submission" value="([^"]+)"/.exec(page)?.[1];
			if (!key) throw new Error(`no quiz form on ${lessonPath}`);
			const r = await postForm(origin, `${lessonPath}?/quiz`, { submission: key, ...answers }, jar);
			const location = r.headers.get('location');
			if (r.status !== 303 || !location) throw new Error(`quiz answered ${r.status}`);
			return location.replace(/#.*$/, '');
		}
	};
}

/**
 * One request with node:http (over `agent`'s kept-alive connections): { status, headers, body (a Buffer), ms }, the
 * time until the last byte of the answer arrived. The benchmarks send with this rather than fetch: fetch (undici)
 * costs the bench a few times more CPU per request, on the same two cores as the app and PostgreSQL, which weighed
 * on the app's figures.
 */
export function httpRequest(url, { agent, method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = http.request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * A client for timing pages: one kept-alive connection, asking for gzip as a browser does; the time is until the
 * last byte arrived, and the body is decoded (gunzip, text) after the clock stopped, as that is the client's work.
 */
export function pageClient(origin, headers = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	return {
		/** GETs `path`: { status, ms, body } (body as text). */
		async get(path) {
			const res = await httpRequest(origin + path, { agent, headers: { 'accept-encoding': 'gzip', ...headers } });
			const body = (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body).toString('utf8');
			return { status: res.status, ms: res.ms, body };
		},
		close() {
			agent.destroy();
		}
	};
}
