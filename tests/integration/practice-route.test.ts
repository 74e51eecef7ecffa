import fs from 'node:fs';
import { isHttpError, isRedirect, isActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openAppTestDatabase } from './support/app-db';
import { getUserById } from '../../src/lib/server/auth/user';
import { createLearner } from './support/learning';
import { writePracticeCourses } from './support/practice-course';

// A course of one lesson holding one practice (its field with the default limit), played through the route's load
// and actions as the browser's plain forms would (no JavaScript).
let root: string;
let close: () => Promise<void>;
let appDb: Awaited<ReturnType<typeof openAppTestDatabase>>['db'];
type Route = typeof import('../../src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/+page.server');
let route: Route;
const params = { course: 'khoa-thuc-hanh', lesson: 'bai-thuc-hanh', practice: 'tin-nhan' };
const base = `http://localhost/courses/${params.course}/${params.lesson}/thuc-hanh/${params.practice}`;

beforeAll(async () => {
	root = writePracticeCourses([{ slug: 'khoa-thuc-hanh', code: 'K95', rule: 'all-lessons', reading: false, maxlength: null }]);
	process.env.HOCSO_CONTENT_DIR = root;
	({ close, db: appDb } = await openAppTestDatabase());
	route = await import('../../src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/+page.server');
});
afterAll(async () => {
	await close?.();
	fs.rmSync(root, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Locals = { user?: any; session?: any };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (search = '', p: Record<string, string> = params, locals: Locals = {}) => route.load({ params: p, url: new URL(base + search), locals } as any) as Promise<any>;
async function post(action: 'tap' | 'input', fields: Record<string, string>, locals: Locals = {}) {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	const cookies = { set() {}, get() {}, delete() {} };
	const event = { params, locals, cookies, getClientAddress: () => '10.9.8.7', url: new URL(`${base}?/${action}`), request: new Request(`${base}?/${action}`, { method: 'POST', body }) };
	try {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return { result: await (route.actions[action] as any)(event) };
	} catch (e) {
		if (isRedirect(e)) return { location: e.location, status: e.status };
		throw e;
	}
}

describe('playing a practice without JavaScript', () => {
	test('the first step shows its screen and targets as percentages, and no right answer', async () => {
		const data = await load();
		expect(data.step.id).toBe('doc');
		expect(data.step.say).toBe('Chọn cách an toàn.');
		expect(data.step.screen.url).toMatch(/^\/media\/khoa-thuc-hanh\/media\/tin\.svg\?v=/);
		expect(data.step.targets).toEqual([
			{ index: 0, label: 'Mở liên kết', left: 0, top: 0, width: 50, height: 15.625 },
			{ index: 1, label: 'Xóa tin nhắn', left: 50, top: 84.375, width: 50, height: 15.625 },
			{ index: 2, label: 'Gọi lại số lạ', left: 0, top: 31.25, width: 50, height: 15.625 }
		]);
		expect(data.step.hint).toBeNull();
		expect(JSON.stringify(data)).not.toContain('"go"');
		expect(JSON.stringify(data)).not.toContain('Liên kết lạ rất nguy hiểm');
	});

	test('a wrong tap stays on the step with its feedback and the hint; a right tap goes on', async () => {
		const wrong = await post('tap', { step: 'doc', target: '0' });
		expect(wrong).toEqual({ status: 303, location: `/courses/${params.course}/${params.lesson}/thuc-hanh/tin-nhan?buoc=doc&sai=0#thuc-hanh` });
		const shown = await load('?buoc=doc&sai=0');
		expect(shown.step.wrong).toBe('Liên kết lạ rất nguy hiểm.');
		expect(shown.step.hint).toBe('Tìm nút xóa.');
		const right = await post('tap', { step: 'doc', target: '1' });
		expect(right.location).toBe(`/courses/${params.course}/${params.lesson}/thuc-hanh/tin-nhan?buoc=ma#thuc-hanh`);
		const bad = await post('tap', { step: 'doc', target: '7' });
		expect(isActionFailure(bad.result)).toBe(true);
	});

	test('the input is checked against its pattern, keeping what was typed', async () => {
		const bad = await post('input', { step: 'ma', value: '12a' });
		expect(isActionFailure(bad.result)).toBe(true);
		expect(bad.result.data).toEqual({ message: 'Hãy gõ đúng 6 chữ số.', value: '12a', hint: null });
		const good = await post('input', { step: 'ma', value: '123456' });
		expect(good.location).toBe(`/courses/${params.course}/${params.lesson}/thuc-hanh/tin-nhan?buoc=xong#thuc-hanh`);
		const end = await load('?buoc=xong');
		expect(end.step.end).toBe(true);
		expect(end.step.feedback).toBe('Bạn đã làm đúng.');
	});

	test('a learner playing through: the run key stays in the address, wrong taps count, the end step shows it saved', async () => {
		const user = await getUserById(appDb, await createLearner(appDb));
		const locals = { user };
		const first = await load('', params, locals);
		expect(first.run).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
		const run = first.run as string;
		const wrong = await post('tap', { step: 'doc', target: '0', lan: run }, locals);
		expect(wrong.location).toBe(`/courses/${params.course}/${params.lesson}/thuc-hanh/tin-nhan?buoc=doc&lan=${run}&sai=0#thuc-hanh`);
		expect((await load(`?buoc=doc&lan=${run}&sai=0`, params, locals)).run).toBe(run);
		await post('tap', { step: 'doc', target: '1', lan: run }, locals);
		const long = await post('input', { step: 'ma', value: '1234567890123456789012345678901234567890123456789012345', lan: run }, locals);
		expect(long.result.data.message).toBe('Ô "Mã" nhận tối đa 50 ký tự, bạn đã gõ 55. Hãy gõ đúng 6 chữ số.');
		expect(long.result.data.value).toHaveLength(55);
		expect((await load(`?buoc=ma&lan=${run}`, params, locals)).step.input).toEqual({ label: 'Mã', maxlength: 50 });
		const done = await post('input', { step: 'ma', value: '654321', lan: run }, locals);
		expect(done.location).toBe(`/courses/${params.course}/${params.lesson}/thuc-hanh/tin-nhan?buoc=xong&lan=${run}#thuc-hanh`);
		const end = await load(`?buoc=xong&lan=${run}`, params, locals);
		expect(end.saved).toEqual({ completed: true, recordCode: null });
		const rows = await appDb.selectFrom('practice_run').select(['steps', 'completed_at']).where('user_id', '=', user!.id).execute();
		expect(rows).toHaveLength(1);
		expect(rows[0].steps).toEqual({ doc: 1, ma: 1, xong: 0 });
	});

	test('a visitor becomes a guest at their first move, so the run is counted', async () => {
		const locals: Locals = {};
		const run = (await load('', params, locals)).run as string;
		await post('tap', { step: 'doc', target: '0', lan: run }, locals);
		expect(locals.user?.kind).toBe('guest');
		const rows = await appDb.selectFrom('practice_run').select(['steps']).where('user_id', '=', locals.user.id).execute();
		expect(rows.map((r) => r.steps)).toEqual([{ doc: 1 }]);
	});

	test("the script's endpoint: steps as JSON, a whole run replayed and counted once, a run off the path refused", async () => {
		const endpoint = await import('../../src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/buoc.json/+server');
		const url = new URL(`${base}/buoc.json`);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const call = (method: 'GET' | 'POST', locals: Locals, body?: unknown) => (endpoint[method] as any)({ params, locals, url, cookies: { set() {}, get() {}, delete() {} }, getClientAddress: () => '10.9.8.6', request: new Request(url, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } }) }) as Promise<Response>;
		const steps = await (await call('GET', {})).json();
		expect(steps.start).toBe('doc');
		expect(steps.steps.ma.input).toEqual({ label: 'Mã', pattern: '^\\d{6}$', message: 'Hãy gõ đúng 6 chữ số.', max: 50, go: 'xong' });
		const user = await getUserById(appDb, await createLearner(appDb));
		const run = 'script-run-0000000001';
		const moves = [{ step: 'doc', target: 0 }, { step: 'doc', target: 1 }, { step: 'ma', value: '12' }, { step: 'ma', value: '123456' }];
		const [a, b] = await Promise.all([call('POST', { user }, { run, moves }), call('POST', { user }, { run, moves })]);
		expect(await a.json()).toEqual({ saved: true, completed: true, recordCode: null });
		expect((await b.json()).completed).toBe(true);
		const rows = await appDb.selectFrom('practice_run').select('steps').where('user_id', '=', user!.id).execute();
		expect(rows.map((r) => r.steps)).toEqual([{ doc: 1, ma: 1, xong: 0 }]);
		expect(await appDb.selectFrom('practice_completion').select('run_id').where('user_id', '=', user!.id).execute()).toHaveLength(1);
		const skipped = await call('POST', { user }, { run: 'script-run-0000000002', moves: [{ step: 'ma', value: '123456' }] });
		expect(skipped.status).toBe(400);
		expect((await call('POST', { user }, { run: 'x', moves })).status).toBe(400);
	});

	test('an unknown practice or step is a 404', async () => {
		for (const run of [() => load('?buoc=khong-co'), () => load('', { ...params, practice: 'khac' }), () => load('?buoc=constructor')]) {
			const e = await run().catch((x) => x);
			expect(isHttpError(e) && e.status).toBe(404);
		}
	});
});

describe('storing the course for offline use', () => {
	test('the offline list holds the practice page, its steps, its screens and the script that plays it', async () => {
		const { buildOfflineManifest } = await import('../../src/lib/server/offline/manifest');
		const { version } = await import('$app/environment');
		const m = (await buildOfflineManifest(params.course))!;
		const practice = `/courses/${params.course}/${params.lesson}/thuc-hanh/${params.practice}`;
		expect(m.pages).toEqual([`/courses/${params.course}`, `/courses/${params.course}/${params.lesson}`, practice]);
		expect(m.lessons).toBe(1);
		expect(m.files).toContain(`${practice}/buoc.json`);
		expect(m.files).toContain(`/js/practice.js?v=${version}`);
		expect(m.files.filter((f) => f.startsWith('/media/khoa-thuc-hanh/media/tin.svg?v='))).toHaveLength(1);
		expect(m.version).toMatch(/^[0-9a-f]{32}$/);
		// The steps stored are what the script loads online: the same for everyone.
		const endpoint = await import('../../src/routes/courses/[course]/[lesson]/thuc-hanh/[practice]/buoc.json/+server');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const steps = await (await (endpoint.GET as any)({ params })).json();
		expect(Object.values(steps.steps).map((s) => (s as { screen: string }).screen)).toEqual(expect.arrayContaining(m.files.filter((f) => f.startsWith('/media/'))));
	});
});

describe("trainers' practice figures: the course analytics' guard and unit scope", () => {
	test('a trainer sees their unit by default, never everyone, and no unit outside their scope; an administrator sees everyone', async () => {
		const { createUnit } = await import('./support/learning');
		const { grantRole } = await import('../../src/lib/server/auth/roles');
		const { recordPracticeRun } = await import('../../src/lib/server/learning/practice-runs');
		const page = await import('../../src/routes/phan-tich/[course]/thuc-hanh/+page.server');
		const unitA = await createUnit(appDb, 'Cát Tiến');
		const unitB = await createUnit(appDb, 'Cát Hải');
		const person = async (role: 'trainer' | 'admin', unit: number | null) => {
			const id = await createLearner(appDb);
			await grantRole(appDb, id, role, unit);
			return (await getUserById(appDb, id))!;
		};
		const trainer = await person('trainer', unitA);
		const admin = await person('admin', null);
		const play = async (unitId: number, moves: { step: string; target: number }[]) => {
			const userId = await createLearner(appDb, { unitId });
			await recordPracticeRun(appDb, { userId, courseSlug: params.course, lessonSlug: params.lesson, practiceId: params.practice, runKey: `analytics-run-${userId}-0000` }, moves);
		};
		await play(unitA, [{ step: 'doc', target: 1 }]);
		await play(unitB, [{ step: 'doc', target: 0 }, { step: 'doc', target: 1 }]);
		await play(unitB, [{ step: 'doc', target: 1 }]);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const load = (user: unknown, query: Record<string, string> = {}) => page.load({ locals: { user }, params: { course: params.course }, url: new URL(`http://localhost/phan-tich/${params.course}/thuc-hanh?${new URLSearchParams(query)}`), cookies: { get: () => undefined } } as any) as Promise<any>;
		const status = (p: Promise<unknown>) => p.then(() => 'allowed', (e) => (isHttpError(e) ? e.status : e));

		const mine = await load(trainer);
		expect(mine.filter.unitId).toBe(String(unitA));
		expect(mine.unitLabel).toMatch(/Cát Tiến/);
		expect(mine.practices[0]).toMatchObject({ started: 1, learners: 1 });
		// One learner: the runs are counted, the wrong-tap figures are not shown (fewer than 5 people).
		expect(mine.practices[0]).toMatchObject({ enough: false });
		expect(mine.practices[0].steps[0]).toEqual(expect.objectContaining({ reached: 1, meanWrong: null, shareWithWrong: null }));
		expect(mine.options.map((o: { value: string }) => o.value)).toEqual([String(unitA)]);
		// Asking for everyone or for another unit is not a way round the scope.
		expect(await status(load(trainer, { don_vi: String(unitB) }))).toBe(403);
		expect(await status(load(trainer, { don_vi: 'x' }))).toBe(400);
		expect((await load(trainer, { don_vi: '' })).filter.unitId).toBe(String(unitA));
		expect(await status(load(await getUserById(appDb, await createLearner(appDb))))).toBe(403);

		const everyone = await load(admin);
		expect(everyone.unitLabel).toBe('Cả nước');
		expect(everyone.practices[0].started).toBeGreaterThanOrEqual(3);
		expect((await load(admin, { don_vi: String(unitB) })).practices[0]).toMatchObject({ started: 2, learners: 2 });
		// Five learners of a unit: the figures are shown (one of them tapped the risky choice, then went on).
		const unitC = await createUnit(appDb, 'Cát Thành');
		await play(unitC, [{ step: 'doc', target: 2 }, { step: 'giai-thich', target: 0 }, { step: 'doc', target: 1 }]);
		for (let i = 0; i < 4; i++) await play(unitC, [{ step: 'doc', target: 1 }]);
		const five = (await load(admin, { don_vi: String(unitC) })).practices[0];
		expect(five).toMatchObject({ started: 5, learners: 5, enough: true });
		expect(five.steps[0]).toEqual(expect.objectContaining({ id: 'doc', reached: 5, meanWrong: 0.2, shareWithWrong: 0.2 }));
	});
});
