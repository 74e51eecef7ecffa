// What a stranger can make the database store: nothing for page views and for quizzes not passed, a few hundred
// bytes for a passed one (the first thing worth keeping), only valid answers, and a limited number of new guests
// per address (then 429, with the result shown and nothing stored). Measured on the built app's own PostgreSQL
// database: row counts of every table, the bytes of the rows added, and pg_total_relation_size.
import pg from 'pg';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startFixtureApp, type FixtureApp } from './support/fixture-app';

const GUESTS_PER_HOUR = 20;
const ONE = '/courses/khoa-mot-bai/bai-duy-nhat';
const MANY = '/courses/khoa-kiem-thu/moi-loai-cau-hoi';
const PASSWORD = 'lúa chín vàng đồng';

interface Snapshot {
	rows: Record<string, number>;
	bytes: number;
}

async function snapshot(dbUrl: string): Promise<Snapshot> {
	const c = new pg.Client({ connectionString: dbUrl });
	await c.connect();
	try {
		const { rows: tables } = await c.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
		const rows: Record<string, number> = {};
		for (const { name } of tables) rows[name] = Number((await c.query(`select count(*)::int as n from "${name}"`)).rows[0].n);
		const { rows: size } = await c.query(`select sum(pg_total_relation_size(format('public.%I', tablename)))::bigint as bytes from pg_tables where schemaname = 'public'`);
		return { rows, bytes: Number(size[0].bytes) };
	} finally {
		await c.end();
	}
}

/** Bytes of the rows of a visitor's guest: the user, its sessions, attempts and progress (pg_column_size of each row). */
async function guestRowBytes(dbUrl: string): Promise<{ guests: number; bytes: number }> {
	const c = new pg.Client({ connectionString: dbUrl });
	await c.connect();
	try {
		const { rows } = await c.query(`
			select (select count(*) from app_user where kind = 'guest')::int as guests,
				(coalesce((select sum(pg_column_size(u.*)) from app_user u where kind = 'guest'), 0)
				+ coalesce((select sum(pg_column_size(s.*)) from user_session s join app_user u on u.id = s.user_id where u.kind = 'guest'), 0)
				+ coalesce((select sum(pg_column_size(a.*)) from quiz_attempt a join app_user u on u.id = a.user_id where u.kind = 'guest'), 0)
				+ coalesce((select sum(pg_column_size(p.*)) from lesson_progress p join app_user u on u.id = p.user_id where u.kind = 'guest'), 0))::bigint as bytes`);
		return { guests: rows[0].guests, bytes: Number(rows[0].bytes) };
	} finally {
		await c.end();
	}
}

function post(ctx: APIRequestContext, origin: string, path: string, body: URLSearchParams) {
	return ctx.post(path, { data: body.toString(), headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, maxRedirects: 0 });
}

async function submissionKey(ctx: APIRequestContext, path: string): Promise<string> {
	const key = /name="submission" value="([^"]+)"/.exec(await (await ctx.get(path)).text())?.[1];
	expect(key).toBeTruthy();
	return key!;
}

/** 900 random 500-character values for one field: the crafted multi-select answer that once filled the disk. */
function junk(body: URLSearchParams, field: string) {
	for (let i = 0; i < 900; i++) body.append(field, Math.random().toString(36).slice(2).padEnd(500, 'x'));
}

test.describe('what visitors can store', () => {
	let app: FixtureApp | undefined;

	test.beforeAll(async ({}, info) => {
		test.setTimeout(240_000);
		app = await startFixtureApp(`visitors_${info.project.name}`, { HOCSO_GUESTS_PER_HOUR: String(GUESTS_PER_HOUR) });
	});
	test.afterAll(async () => {
		await app?.stop();
	});

	test('page views and quizzes not passed store nothing; a passed quiz a few hundred bytes; then 429', async ({ playwright }) => {
		test.setTimeout(300_000);
		const { origin, dbUrl } = app!;
		const visitor = await playwright.request.newContext({ baseURL: origin });

		// 1,000 anonymous page views.
		const before = await snapshot(dbUrl);
		const pages = ['/', '/courses', '/courses/khoa-kiem-thu', ONE, MANY, '/login', '/register', '/verify'];
		for (let i = 0; i < 1000; i++) {
			const res = await visitor.get(pages[i % pages.length]);
			expect(res.status()).toBe(200);
			expect(res.headers()['set-cookie'] ?? '').not.toMatch(/session/);
		}
		expect((await snapshot(dbUrl)).rows).toEqual(before.rows);

		// Quizzes not passed, with a crafted multi-select answer: graded and shown, nothing stored.
		for (let i = 0; i < 20; i++) {
			const body = new URLSearchParams({ submission: await submissionKey(visitor, MANY) });
			junk(body, 'q.t-nhieu');
			const res = await post(visitor, origin, `${MANY}?/quiz`, body);
			expect(res.status()).toBe(200);
			expect(await res.text()).toMatch(/Kết quả: 0% · Chưa đạt/);
		}
		const failed = await snapshot(dbUrl);
		expect(failed.rows).toEqual(before.rows);

		// Passed quizzes, each from a new visitor (no cookie), with junk besides the right answer.
		const passes = GUESTS_PER_HOUR;
		for (let i = 0; i < passes; i++) {
			const newcomer = await playwright.request.newContext({ baseURL: origin });
			const body = new URLSearchParams({ submission: await submissionKey(newcomer, ONE), 'q.m-1': 'true' });
			junk(body, 'q.m-1');
			const res = await post(newcomer, origin, `${ONE}?/quiz`, body);
			expect(res.status()).toBe(303);
			// The same form sent again (a double tap, or a replay when back online): no second attempt.
			expect((await post(newcomer, origin, `${ONE}?/quiz`, body)).status()).toBe(303);
			await newcomer.dispose();
		}
		const passed = await snapshot(dbUrl);
		expect(passed.rows.app_user - before.rows.app_user).toBe(passes);
		expect(passed.rows.quiz_attempt - before.rows.quiz_attempt).toBe(passes);
		expect(passed.rows.lesson_progress - before.rows.lesson_progress).toBe(passes);
		const { guests, bytes } = await guestRowBytes(dbUrl);
		expect(guests).toBe(passes);
		const rowBytesPerPass = bytes / passes;
		const relationBytesPerPass = (passed.bytes - before.bytes) / passes;
		console.log(JSON.stringify({ passes, rowBytesPerPass: Math.round(rowBytesPerPass), relationBytesPerPass: Math.round(relationBytesPerPass) }));
		expect(rowBytesPerPass).toBeLessThan(1024);
		// Relation sizes grow by whole 8 KB pages of each table and index (here mostly the first page of tables that
		// were empty), so over 20 submissions this is coarse; the row bytes above are the exact measure.
		expect(relationBytesPerPass).toBeLessThan(12 * 1024);

		// Past the limit of new guests from this address: 429, the result shown, nothing stored.
		const late = await playwright.request.newContext({ baseURL: origin });
		const body = new URLSearchParams({ submission: await submissionKey(late, ONE), 'q.m-1': 'true' });
		const res = await post(late, origin, `${ONE}?/quiz`, body);
		expect(res.status()).toBe(429);
		const html = await res.text();
		expect(html).toMatch(/Kết quả: 100% · Đạt/);
		expect(html).toMatch(/Có quá nhiều người chưa đăng nhập lưu bài từ cùng mạng này/);
		expect((await snapshot(dbUrl)).rows.app_user).toBe(passed.rows.app_user);

		// A learner's crafted multi-select answer is stored with the question's own keys only.
		const phone = `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		const learner = await playwright.request.newContext({ baseURL: origin });
		const reg = await post(learner, origin, '/register', new URLSearchParams({ full_name: 'Lò Thị Mai', phone, password: PASSWORD, password_repeat: PASSWORD, audience: 'citizen', consent: 'yes' }));
		expect(reg.status()).toBe(303);
		const crafted = new URLSearchParams({ submission: await submissionKey(learner, MANY) });
		junk(crafted, 'q.t-nhieu');
		expect((await post(learner, origin, `${MANY}?/quiz`, crafted)).status()).toBe(303);
		const c = new pg.Client({ connectionString: dbUrl });
		await c.connect();
		const { rows } = await c.query(`select pg_column_size(a.responses) as size, a.responses from quiz_attempt a join app_user u on u.id = a.user_id where u.phone = $1`, [phone]);
		await c.end();
		expect(rows.length).toBe(1);
		expect(rows[0].size).toBeLessThan(200);
		expect(rows[0].responses).toEqual({});
		for (const ctx of [visitor, late, learner]) await ctx.dispose();
	});
});
