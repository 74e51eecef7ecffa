import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { testDbKind } from './support/test-db';
import { openAppTestDatabase } from './support/app-db';
import { answer, createLearner, findQuestions, newKey } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import { getContent, type PublishedContent } from '../../src/lib/server/content';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { grantRole } from '../../src/lib/server/auth/roles';
import { getUserById, type User } from '../../src/lib/server/auth/user';
import { parseCsv } from '../../src/lib/server/units/csv';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { markLessonRead, recordLessonOpened } from '../../src/lib/server/learning/progress';
import { buildCourseAnalytics, defaultMonths } from '../../src/lib/server/analytics/report';
import { analyticsSnapshot } from '../../src/lib/server/analytics/counters';

const K = 'khoa-kiem-thu';
const QUIZ = 'bai-kiem-tra';

/** Pearson's correlation of two lists, written out: what the point-biserial index must equal for 0/1 items. */
function pearson(x: number[], y: number[]): number {
	const n = x.length;
	const mx = x.reduce((a, b) => a + b, 0) / n;
	const my = y.reduce((a, b) => a + b, 0) / n;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) ** 2;
		syy += (y[i] - my) ** 2;
	}
	return sxy / Math.sqrt(sxx * syy);
}

describe(`trainers' analytics: figures, scope and export (${testDbKind})`, () => {
	let db: DbHandle['db'];
	let close: () => Promise<void>;
	let content: PublishedContent;
	let unitA: number;
	let unitB: number;
	let province: number;
	let trainerA: User;
	let officialProvince: User;
	let admin: User;
	const months = defaultMonths();

	type PageRoute = typeof import('../../src/routes/phan-tich/[course]/+page.server');
	type CsvRoute = typeof import('../../src/routes/phan-tich/[course]/xuat/+server');
	let page: PageRoute;
	let csv: CsvRoute;

	beforeAll(async () => {
		process.env.HOCSO_CONTENT_DIR = 'tests/fixtures/content';
		({ db, close } = await openAppTestDatabase());
		await importSeedUnitsIfEmpty(db);
		content = await getContent();
		const current = async (code: string) =>
			(await db.selectFrom('unit').select('id').where('code', '=', code).where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
		unitA = await current('21994'); // xã Vân Canh
		unitB = await current('21583'); // phường Quy Nhơn
		province = await current('52'); // tỉnh Gia Lai
		const person = async (name: string, role: 'trainer' | 'official' | 'admin', unit: number | null) => {
			const id = await createLearner(db, { name });
			await grantRole(db, id, role, unit);
			return (await getUserById(db, id))!;
		};
		trainerA = await person('Giảng viên Vân Canh', 'trainer', unitA);
		officialProvince = await person('Cán bộ tỉnh', 'official', province);
		admin = await person('Quản trị', 'admin', null);
		page = await import('../../src/routes/phan-tich/[course]/+page.server');
		csv = await import('../../src/routes/phan-tich/[course]/xuat/+server');
	});
	afterAll(async () => close?.());

	function event(user: User, path: string, query: Record<string, string>) {
		const url = new URL(`http://localhost${path}?${new URLSearchParams(query)}`);
		return { locals: { user }, url, params: { course: K }, cookies: { get: () => undefined } };
	}
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const load = (user: User, query: Record<string, string>) => page.load(event(user, `/phan-tich/${K}`, query) as any) as Promise<any>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const download = async (user: User, query: Record<string, string>): Promise<Response> => csv.GET(event(user, `/phan-tich/${K}/xuat`, query) as any);

	async function takeQuiz(userId: number, q1: 'true' | 'false', q2: 'Cài đặt' | 'Danh bạ') {
		const qs = findQuestions(content, K, QUIZ);
		const responses = { 't-ngan-1': answer(qs.get('t-ngan-1')!, q1), 't-ngan-2': answer(qs.get('t-ngan-2')!, q2) };
		return submitQuiz(db, { userId, courseSlug: K, lessonSlug: QUIZ, submissionKey: newKey(), responses }, content);
	}

	test('share correct, wrong answers and the discrimination index of a constructed set of first attempts', async () => {
		// (t-ngan-1 right?, t-ngan-2 right?) for nine learners of unit A; t-ngan-1 is {T}, t-ngan-2 is "Cài đặt".
		const set: [boolean, boolean][] = [
			[true, true],
			[true, true],
			[true, true],
			[true, true],
			[true, false],
			[true, false],
			[false, true],
			[false, false],
			[false, false]
		];
		const scores: number[] = [];
		for (const [a, b] of set) {
			const id = await createLearner(db, { unitId: unitA });
			await recordLessonOpened(db, id, K, QUIZ, content);
			const r = await takeQuiz(id, a ? 'true' : 'false', b ? 'Cài đặt' : 'Danh bạ');
			scores.push(r.attempt.score);
			// A second attempt, all right, changes no question figure: only first attempts count.
			await takeQuiz(id, 'true', 'Cài đặt');
		}
		const report = (await buildCourseAnalytics(db, K, unitA, months))!;
		const q2 = report.questions.find((q) => q.key === 't-ngan-2')!;
		expect(q2.answered).toBe(9);
		expect(q2.correctShare).toBeCloseTo(5 / 9, 10);
		expect(q2.discrimination).toBeCloseTo(
			pearson(
				set.map(([, b]) => (b ? 1 : 0)),
				scores
			),
			10
		);
		expect(q2.wrong).toEqual([{ text: 'Danh bạ', learners: 4 }]);
		const q1 = report.questions.find((q) => q.key === 't-ngan-1')!;
		expect(q1.discrimination).toBeCloseTo(
			pearson(
				set.map(([a]) => (a ? 1 : 0)),
				scores
			),
			10
		);
		expect(q1.wrong).toEqual([{ text: 'Sai', learners: 3 }]);
		const lesson = report.lessons.find((l) => l.slug === QUIZ)!;
		expect([lesson.started, lesson.read, lesson.passed]).toEqual([9, 9, 9]);
		expect((await analyticsSnapshot(db)).stored).toEqual((await analyticsSnapshot(db)).recounted);
	});

	/**
	 * Moves a learner's opening of their lesson back in time, in their row and in the count of learners who started
	 * (from the day it was counted on to the new day) alike, as if it had been opened then.
	 */
	async function moveOpening(userId: number, openedAt: Date | RawBuilder<Date>) {
		const openingDay = sql`(o.opened_at at time zone 'Asia/Ho_Chi_Minh')::date`;
		await sql`update analytics_lesson_day d set started = d.started - 1 from lesson_open o
			where o.user_id = ${userId} and d.lesson_id = o.lesson_id and d.unit_id = o.unit_id and d.day = ${openingDay}`.execute(db);
		await sql`delete from analytics_lesson_day where started = 0 and read = 0 and passed = 0`.execute(db);
		await db.updateTable('lesson_open').set({ opened_at: openedAt }).where('user_id', '=', userId).execute();
		await sql`insert into analytics_lesson_day (lesson_id, unit_id, day, course_id, started, read, passed)
			select o.lesson_id, o.unit_id, ${openingDay}, o.course_id, 1, 0, 0 from lesson_open o where o.user_id = ${userId}
			on conflict (lesson_id, unit_id, day) do update set started = analytics_lesson_day.started + 1`.execute(db);
	}

	test('time to read: the median bucket; abandoned: opened 14 days ago or more and not read', async () => {
		for (let i = 0; i < 5; i++) {
			const id = await createLearner(db, { unitId: unitA });
			await recordLessonOpened(db, id, K, 'bai-doc', content);
			// Opened six minutes ago (the clock cannot wait): the reading falls into the 5–7 minute bucket. (Just after
			// midnight in Vietnam that is the day before, where the opening then counts.)
			await moveOpening(id, sql<Date>`now() - interval '6 minutes'`);
			await markLessonRead(db, { userId: id, courseSlug: K, lessonSlug: 'bai-doc' }, content);
		}
		const idle = await createLearner(db, { unitId: unitA });
		await recordLessonOpened(db, idle, K, 'bai-doc', content);
		let lesson = (await buildCourseAnalytics(db, K, unitA, months))!.lessons.find((l) => l.slug === 'bai-doc')!;
		expect(lesson).toMatchObject({ started: 6, read: 5, abandoned: 0, timed: 5, median: '5–7 phút' });
		// Twenty days later (the opening moved back, in the learner's row and in its count alike).
		const back = new Date(Date.now() - 20 * 86_400_000);
		await moveOpening(idle, back);
		expect((await analyticsSnapshot(db)).stored).toEqual((await analyticsSnapshot(db)).recounted);
		const wide = { from: `${new Date(back).toISOString().slice(0, 7)}`, to: months.to };
		lesson = (await buildCourseAnalytics(db, K, unitA, wide))!.lessons.find((l) => l.slug === 'bai-doc')!;
		expect(lesson).toMatchObject({ started: 6, read: 5, abandoned: 1 });
	});

	test('scope: a trainer of unit A sees only learners of A and cannot pick a unit outside A', async () => {
		// Learners of unit B fail everything.
		for (let i = 0; i < 6; i++) {
			const id = await createLearner(db, { unitId: unitB });
			await takeQuiz(id, 'false', 'Danh bạ');
		}
		const asTrainer = await load(trainerA, {});
		expect(asTrainer.unitLabel).toMatch(/Vân Canh/);
		const quiz = asTrainer.lessons.find((l: { slug: string }) => l.slug === QUIZ);
		expect(quiz.started).toBe(9);
		expect(asTrainer.options.map((o: { value: string }) => o.value)).not.toContain(String(unitB));
		for (const don_vi of [String(unitB), String(province)]) {
			const refused = await load(trainerA, { don_vi }).then(
				() => 'allowed',
				(e) => (isHttpError(e) ? e.status : e)
			);
			expect(refused, don_vi).toBe(403);
			const file = await download(trainerA, { don_vi, bang: 'pheu' }).then(
				() => 'allowed',
				(e) => (isHttpError(e) ? e.status : e)
			);
			expect(file).toBe(403);
		}
		// The province official sees both communes; the administrator everyone, by default.
		const asProvince = await load(officialProvince, {});
		expect(asProvince.lessons.find((l: { slug: string }) => l.slug === QUIZ).started).toBe(15);
		const asProvinceB = await load(officialProvince, { don_vi: String(unitB) });
		expect(asProvinceB.lessons.find((l: { slug: string }) => l.slug === QUIZ)).toMatchObject({ started: 6, read: 6, passed: 0 });
		const asAdmin = await load(admin, {});
		expect(asAdmin.unitLabel).toBe('Cả nước');
		expect(asAdmin.lessons.find((l: { slug: string }) => l.slug === QUIZ).started).toBe(15);
		// A month range with no learners shows zeros.
		const empty = await load(officialProvince, { tu: '2020-01', den: '2020-02' });
		expect(empty.lessons.every((l: { started: number }) => l.started === 0)).toBe(true);
		// A month written wrongly: a message, the typed text kept, the last twelve months shown.
		const bad = await load(officialProvince, { tu: '2026-13', den: months.to });
		expect(bad.periodMessage).toMatch(/năm-tháng/);
		expect(bad.months.from).toBe('2026-13');
		expect(bad.lessons.find((l: { slug: string }) => l.slug === QUIZ).started).toBe(15);
	});

	test('each CSV file holds exactly the table the page shows (UTF-8 with BOM)', async () => {
		const query = { don_vi: String(province), tu: months.from, den: months.to };
		const shown = await load(officialProvince, query);
		for (const id of ['pheu', 'cau-hoi']) {
			const res = await download(officialProvince, { ...query, bang: id });
			expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
			const bytes = new Uint8Array(await res.arrayBuffer());
			expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			const text = new TextDecoder().decode(bytes.slice(3));
			const table = shown.tables.find((t: { id: string }) => t.id === id);
			const lines = text.split('\r\n');
			expect(lines[0]).toContain(table.title);
			const rows = parseCsv(lines.slice(1).join('\n'));
			expect(rows.map((r) => table.columns.map((c: string) => r[c]))).toEqual(table.rows.map((r: (string | number)[]) => r.map(String)));
			expect(rows.length).toBeGreaterThan(0);
		}
	});
});
