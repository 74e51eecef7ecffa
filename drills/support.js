// Shared by the drills: the built app on a private PostgreSQL server (or PGlite), learners with sessions, the quiz
// form of a lesson, and submissions sent the way a browser without JavaScript sends them.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../scripts/private-postgres.js';

export { freePort };

export function buildIfNeeded() {
	if (process.env.DRILL_SKIP_BUILD === '1' && fs.existsSync('build/handler.js')) return;
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0) throw new Error('vite build failed');
}

/**
 * Starts `node server.js` on a free port (or `port`) with `env` added; resolves when /courses answers.
 * The returned `exitCode()` is null while the process lives; `log()` is what it wrote.
 * @param {Record<string, string>} env
 * @param {{ port?: number, timeoutMs?: number }} [opts]
 */
export async function startApp(env, opts = {}) {
	const port = opts.port ?? (await freePort());
	const origin = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, PUBLIC_URL: origin, ...env }
	});
	const keep = (/** @type {Buffer} */ d) => {
		log += d;
		if (log.length > 200_000) log = log.slice(-100_000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
	const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the app exited at start:\n${log.slice(-3000)}`);
		try {
			if ((await fetch(`${origin}/courses`)).ok) break;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the app did not answer in time:\n${log.slice(-3000)}`);
		}
		await sleep(200);
	}
	return {
		origin,
		port,
		pid: /** @type {number} */ (child.pid),
		exitCode: () => child.exitCode ?? child.signalCode,
		exited,
		log: () => log,
		kill: (/** @type {NodeJS.Signals} */ signal = 'SIGKILL') => child.kill(signal),
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				await exited;
			}
		}
	};
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A session token as the app makes them: 20 random bytes, base32 lowercase without padding. */
export function sessionToken() {
	let bits = 0;
	let value = 0;
	let out = '';
	for (const b of randomBytes(20)) {
		value = ((value << 8) | b) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			out += B32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	return out;
}

/**
 * Learners with sessions, inserted directly through `query` (a pg Pool/Client or PGlite): registering would measure
 * argon2, not what the drill is about. Returns their ids and cookies.
 * @param {{ query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }> }} db
 * @param {number} n
 */
export async function createLearners(db, n) {
	const learners = [];
	const expires = new Date(Date.now() + 30 * 864e5).toISOString();
	for (let i = 0; i < n; i++) {
		const token = sessionToken();
		const { rows } = await db.query(`insert into app_user (kind, full_name, audience) values ('learner', $1, 'citizen') returning id`, [`Học viên ${i + 1}`]);
		await db.query(`insert into user_session (id, user_id, expires_at) values ($1, $2, $3)`, [createHash('sha256').update(token).digest('hex'), rows[0].id, expires]);
		learners.push({ id: Number(rows[0].id), cookie: `session=${token}` });
	}
	return learners;
}

/** The fixture courses: small, with known answers (tests/fixtures/content). */
export const FIXTURE_CONTENT = path.resolve('tests/fixtures/content');
/** The one-question lesson of the fixture course `khoa-mot-bai` (a true/false question whose answer is true). */
export const ONE_QUESTION_LESSON = '/courses/khoa-mot-bai/bai-duy-nhat';

/**
 * Sends one quiz submission as a plain form post. Returns `acknowledged` when the app answered with its redirect
 * to the stored attempt (303 to `?lan-lam=<id>`), else the status (0 for a network error).
 * @param {string} origin
 * @param {{ cookie: string, headers?: Record<string, string> }} learner
 * @param {string} key
 * @param {string} answer
 */
export async function submitQuiz(origin, learner, key, answer, lesson = ONE_QUESTION_LESSON) {
	const body = new URLSearchParams({ submission: key, 'q.m-1': answer });
	try {
		const res = await fetch(`${origin}${lesson}?/quiz`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin, cookie: learner.cookie, ...learner.headers },
			body,
			signal: AbortSignal.timeout(30_000)
		});
		const text = await res.text();
		const location = res.headers.get('location') ?? '';
		const attempt = Number(/[?&]lan-lam=(\d+)/.exec(location)?.[1]);
		if (res.status === 303 && attempt) return { acknowledged: true, status: 303, attempt, text };
		return { acknowledged: false, status: res.status, retryAfter: res.headers.get('retry-after'), text };
	} catch (e) {
		return { acknowledged: false, status: 0, text: String(e) };
	}
}

/** A fresh submission key, as the quiz form carries (letters, digits, - and _). */
export const newKey = () => randomBytes(18).toString('base64url');

/** @param {number[]} sorted @param {number} p */
export function percentile(sorted, p) {
	if (!sorted.length) return 0;
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/**
 * Registers a learner through the registration form, as a browser without JavaScript does; returns the session
 * cookie. `phone` must be unique (a Vietnamese mobile number).
 * @param {string} origin
 * @param {{ name: string, phone: string, password?: string, headers?: Record<string, string> }} who
 */
export async function registerLearner(origin, who) {
	const body = new URLSearchParams({
		full_name: who.name,
		phone: who.phone,
		password: who.password ?? 'mat-khau-du-dai-2026',
		password_repeat: who.password ?? 'mat-khau-du-dai-2026',
		audience: 'citizen',
		consent: 'yes',
		intent: 'register'
	});
	const res = await fetch(`${origin}/register`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin, ...who.headers },
		body,
		signal: AbortSignal.timeout(60_000)
	});
	const text = await res.text();
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))?.split(';')[0];
	if (res.status !== 303 || !cookie) throw new Error(`registration answered ${res.status}: ${text.slice(0, 300)}`);
	return cookie;
}

/** The i-th of many distinct Vietnamese mobile numbers. @param {number} i */
export const phoneNumber = (i) => `09${String(10_000_000 + i).slice(-8)}`;
