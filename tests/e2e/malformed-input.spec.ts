// Malformed input of every kind the app has been seen to fail on: each is refused with 400 or 404 and a Vietnamese
// page carrying the security headers, never a 500, and no stack trace appears, neither in the answer nor in the
// app's log. The app runs on its own database and the fixture courses, with its output captured.
import fs from 'node:fs';
import pg from 'pg';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';

const PASSWORD = 'lúa chín vàng đồng';
const LESSON = '/courses/khoa-kiem-thu/moi-loai-cau-hoi';
const VIDEOJS_VERSION: string = JSON.parse(fs.readFileSync('node_modules/video.js/package.json', 'utf8')).version;
const STACK = /\bat .*:\d+:\d+|node_modules|\.(?:js|ts):\d+/;

function freshPhone(): string {
	return `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** A plain form post as a browser without JavaScript sends it. */
function post(ctx: APIRequestContext, origin: string, path: string, form: Record<string, string> | string) {
	const headers = { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
	const data = typeof form === 'string' ? form : new URLSearchParams(form).toString();
	return ctx.post(path, { data, headers, maxRedirects: 0 });
}

function multipartWithoutBoundary(ctx: APIRequestContext, origin: string, path: string) {
	return ctx.post(path, { data: 'identifier=0912345678', headers: { origin, accept: 'text/html', 'content-type': 'multipart/form-data' }, maxRedirects: 0 });
}

async function register(ctx: APIRequestContext, origin: string, name: string): Promise<string> {
	const phone = freshPhone();
	const res = await post(ctx, origin, '/register', { full_name: name, phone, password: PASSWORD, password_repeat: PASSWORD, audience: 'citizen', consent: 'yes' });
	expect(res.status()).toBe(303);
	return phone;
}

/** The quiz form of the lesson as rendered: its submission key and the names of its answer fields. */
async function quizForm(ctx: APIRequestContext): Promise<{ submission: string; fields: string[] }> {
	const html = await (await ctx.get(LESSON)).text();
	const submission = /name="submission" value="([^"]+)"/.exec(html)?.[1];
	expect(submission).toBeTruthy();
	const fields = [...new Set([...html.matchAll(/name="(q\.[^"]+)"/g)].map((m) => m[1]))];
	expect(fields.length).toBeGreaterThan(3);
	return { submission: submission!, fields };
}

test.describe('malformed input', () => {
	let app: FixtureApp | undefined;

	test.beforeAll(async ({}, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`malformed_${info.project.name}`);
	});

	test.afterAll(async () => {
		await app?.stop();
	});

	test('is refused with 400 or 404 and a Vietnamese page, with no stack trace in the page or the log', async ({ playwright }) => {
		test.setTimeout(120_000);
		const origin = app!.origin;
		const anonymous = await playwright.request.newContext({ baseURL: origin });
		const learner = await playwright.request.newContext({ baseURL: origin });
		const admin = await playwright.request.newContext({ baseURL: origin });
		await register(learner, origin, 'Lò Thị Mai');
		const adminPhone = await register(admin, origin, 'Phạm Văn Quản');
		const client = new pg.Client({ connectionString: app!.dbUrl });
		await client.connect();
		await client.query(`insert into user_role (user_id, role) select id, 'admin' from app_user where phone = $1`, [adminPhone]);
		await client.end();

		const quiz = await quizForm(learner);
		const nulAnswers = new URLSearchParams({ submission: quiz.submission });
		for (const f of quiz.fields) nulAnswers.append(f, 'a\u0000b');

		const cases: { what: string; send: () => Promise<APIResponse>; status: number; says: RegExp }[] = [
			{ what: 'NUL in the registration name', send: () => post(anonymous, origin, '/register', { full_name: 'An\u0000h', phone: freshPhone(), password: PASSWORD, password_repeat: PASSWORD, audience: 'citizen', consent: 'yes' }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the login name', send: () => post(anonymous, origin, '/login', { identifier: '09\u000012', password: 'x' }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL percent-encoded in a raw form body', send: () => post(anonymous, origin, '/login', 'identifier=09%0012&password=x'), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the unit search', send: () => post(anonymous, origin, '/register', { intent: 'find', unit_q: 'v\u0000an' }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in every quiz answer (learner)', send: () => post(learner, origin, `${LESSON}?/quiz`, nulAnswers.toString()), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in every quiz answer (visitor)', send: () => post(anonymous, origin, `${LESSON}?/quiz`, nulAnswers.toString()), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the text-size address', send: () => post(anonymous, origin, '/text-size', { next: '/\u0000' }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the revoke reason', send: () => post(admin, origin, '/admin/records?/revoke', { code: 'K7QF-M2XD-9H', reason: 'sai\u0000' }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the address', send: () => anonymous.get('/records/%00', { headers: { accept: 'text/html' } }), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'NUL in the unit search API', send: () => anonymous.get('/api/units?q=v%00an'), status: 400, says: /ký tự không hợp lệ/ },
			{ what: 'attempt number beyond an integer', send: () => learner.get(`${LESSON}?lan-lam=2147483648`), status: 400, says: /lần làm bài/ },
			{ what: 'attempt number beyond an integer (visitor)', send: () => anonymous.get(`${LESSON}?lan-lam=99999999999`), status: 400, says: /lần làm bài/ },
			{ what: 'attempt number that is not a number', send: () => learner.get(`${LESSON}?lan-lam=1e3`), status: 400, says: /lần làm bài/ },
			{ what: 'unit id beyond an integer at registration', send: () => post(anonymous, origin, '/register', { full_name: 'Anh', phone: freshPhone(), password: PASSWORD, password_repeat: PASSWORD, audience: 'citizen', consent: 'yes', unit_id: '99999999999' }), status: 400, says: /Không tìm thấy đơn vị bạn chọn/ },
			{ what: 'unit id beyond an integer in the admin remove action', send: () => post(admin, origin, '/admin/assignments?/remove', { id: '99999999999' }), status: 400, says: /Không tìm thấy lượt giao này/ },
			{ what: 'multipart without boundary to /login', send: () => multipartWithoutBoundary(anonymous, origin, '/login'), status: 400, says: /Không đọc được dữ liệu/ },
			{ what: 'multipart without boundary to a quiz', send: () => multipartWithoutBoundary(learner, origin, `${LESSON}?/quiz`), status: 400, says: /Không đọc được dữ liệu/ },
			{ what: 'multipart without boundary to /register', send: () => multipartWithoutBoundary(anonymous, origin, '/register'), status: 400, says: /Không đọc được dữ liệu/ }
		];
		for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
			cases.push({ what: `video.js file ${name}`, send: () => anonymous.get(`/assets/videojs/${VIDEOJS_VERSION}/${name}`, { headers: { accept: 'text/html' } }), status: 404, says: /Không tìm thấy/ });
		}

		for (const c of cases) {
			const res = await c.send();
			const body = await res.text();
			expect(res.status(), c.what).toBe(c.status);
			expect(body, c.what).toMatch(c.says);
			expect(body, c.what).not.toMatch(STACK);
			// Refused before any route (by a hook) or by the route itself: the same security headers.
			expect(res.headers()['x-content-type-options'], c.what).toBe('nosniff');
			expect(res.headers()['referrer-policy'], c.what).toBe('strict-origin-when-cross-origin');
			expect(res.headers()['permissions-policy'], c.what).toBe('camera=(), microphone=(), geolocation=(), interest-cohort=()');
		}
		// The things refused were not stored: no user named with a NUL, no attempt with one.
		const check = new pg.Client({ connectionString: app!.dbUrl });
		await check.connect();
		const { rows } = await check.query(`select count(*)::int as n from app_user where full_name like 'An%h' and full_name <> 'Anh'`);
		expect(rows[0].n).toBe(0);
		await check.end();

		// The app is still fine, and wrote no stack trace.
		expect((await anonymous.get('/courses')).status()).toBe(200);
		expect(app!.output()).not.toMatch(STACK);
		for (const ctx of [anonymous, learner, admin]) await ctx.dispose();
	});
});
