import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { createGuest, createLearner, createUnit, newKey } from './support/learning';
import { writePracticeCourses } from './support/practice-course';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { loadContent } from '../../src/lib/server/content/loader';
import { syncContent } from '../../src/lib/server/content/sync';
import { recordPracticeMove, recordPracticeRun } from '../../src/lib/server/learning/practice-runs';
import { listCourseProgress, markLessonRead } from '../../src/lib/server/learning/progress';
import { mergeLearnerData } from '../../src/lib/server/learning/merge';
import { exportLearningData } from '../../src/lib/server/learning/export';
import type { PracticeMove } from '../../src/lib/server/content/practice/play';
import { practiceStats } from '../../src/lib/server/learning/practice-stats';

const REQUIRED = 'khoa-bat-buoc';
const OPTIONAL = 'khoa-tu-chon';
const LESSON = 'bai-thuc-hanh';

const WRONG: PracticeMove = { step: 'doc', target: 0 };
const RIGHT: PracticeMove = { step: 'doc', target: 1 };
const RISKY: PracticeMove = { step: 'doc', target: 2 };
const BACK: PracticeMove = { step: 'giai-thich', target: 0 };
const BAD_CODE: PracticeMove = { step: 'ma', value: '12a' };
const CODE: PracticeMove = { step: 'ma', value: '123456' };

describe(`counting practices (${testDbKind})`, () => {
	let h: DbHandle;
	let root: string;
	let content: PublishedContent;

	beforeAll(async () => {
		h = await createTestDatabase();
		root = writePracticeCourses([
			{ slug: REQUIRED, code: 'K91', rule: 'all-lessons-quizzes-and-practices' },
			{ slug: OPTIONAL, code: 'K92', rule: 'all-lessons' }
		]);
		const loaded = loadContent(root);
		expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
		content = { ...loaded, ids: await syncContent(h.db, loaded) };
	});
	afterAll(async () => {
		await h?.close();
		fs.rmSync(root, { recursive: true, force: true });
	});

	const ref = (userId: number, runKey: string, courseSlug = REQUIRED) => ({ userId, courseSlug, lessonSlug: LESSON, practiceId: 'tin-nhan', runKey });
	const move = (userId: number, runKey: string, m: PracticeMove, courseSlug = REQUIRED) => recordPracticeMove(h.db, ref(userId, runKey, courseSlug), m, content);
	const run = (userId: number, runKey: string, moves: PracticeMove[], courseSlug = REQUIRED) => recordPracticeRun(h.db, ref(userId, runKey, courseSlug), moves, content);
	const runs = (userId: number) => h.db.selectFrom('practice_run').select(['steps', 'completed_at', 'run_key']).where('user_id', '=', userId).orderBy('id').execute();
	const completions = (userId: number) => h.db.selectFrom('practice_completion').selectAll().where('user_id', '=', userId).execute();
	const records = (userId: number) => h.db.selectFrom('completion_record').select(['id', 'course_id']).where('user_id', '=', userId).execute();
	const read = (userId: number, lessonSlug: string, courseSlug = REQUIRED) => markLessonRead(h.db, { userId, courseSlug, lessonSlug }, content);

	test('publishing names the practices of each lesson version, and fills in versions published before', async () => {
		const keys = async () =>
			(await h.db.selectFrom('lesson').innerJoin('lesson_version', 'lesson_version.id', 'lesson.current_version_id').select(['lesson.slug', 'lesson_version.practice_keys']).orderBy('lesson.id').execute())
				.filter((r) => r.slug === LESSON || r.slug === 'bai-doc')
				.map((r) => [r.slug, r.practice_keys]);
		expect((await keys()).slice(0, 2)).toEqual([['bai-doc', []], [LESSON, ['tin-nhan']]]);
		await h.db.updateTable('lesson_version').set({ practice_keys: null }).execute();
		await syncContent(h.db, content);
		expect((await keys()).slice(0, 2)).toEqual([['bai-doc', []], [LESSON, ['tin-nhan']]]);
	});

	test('played page by page: wrong taps and refused entries count on their step; reaching the end completes once', async () => {
		const userId = await createLearner(h.db);
		const key = newKey();
		expect(await move(userId, key, WRONG)).toEqual({ counted: true, completed: false });
		await move(userId, key, WRONG);
		await move(userId, key, RIGHT);
		await move(userId, key, BAD_CODE);
		// Too long for the field (maxlength 6): refused with a message, counted as a wrong entry.
		await move(userId, key, { step: 'ma', value: '1234567' });
		expect((await runs(userId))[0]).toMatchObject({ steps: { doc: 2, ma: 2 }, completed_at: null });
		const end = await move(userId, key, CODE);
		expect(end).toMatchObject({ counted: true, completed: true });
		expect((await runs(userId))[0].steps).toEqual({ doc: 2, ma: 2, xong: 0 });
		expect((await runs(userId))[0].completed_at).not.toBeNull();
		// The same last move sent again, and a second run to the end: still one completion.
		await move(userId, key, CODE);
		const again = newKey();
		await move(userId, again, RIGHT);
		expect(await move(userId, again, CODE)).toMatchObject({ completed: true });
		expect(await completions(userId)).toHaveLength(1);
		expect((await runs(userId)).map((r) => r.steps)).toEqual([{ doc: 2, ma: 2, xong: 0 }, { doc: 0, ma: 0, xong: 0 }]);
	});

	test('a move on a step the run has not reached (opened by its address) is not counted and completes nothing', async () => {
		const userId = await createLearner(h.db);
		const key = newKey();
		expect(await move(userId, key, CODE)).toEqual({ counted: false, completed: false });
		expect(await move(userId, key, { step: 'ma', value: 'x' })).toEqual({ counted: false, completed: false });
		expect(await completions(userId)).toEqual([]);
		expect((await runs(userId))[0].steps).toEqual({ doc: 0 });
		// A script's run is replayed from the start: a run that skips a step is refused whole.
		expect(await run(userId, newKey(), [CODE])).toMatchObject({ ok: false });
		expect(await run(userId, newKey(), [RIGHT, { step: 'ma', target: 0 }])).toMatchObject({ ok: false });
		expect(await completions(userId)).toEqual([]);
	});

	test('a run sent whole by the script: the server counts the wrong taps from the replay', async () => {
		const userId = await createLearner(h.db);
		const key = newKey();
		expect(await run(userId, key, [WRONG, RIGHT])).toMatchObject({ ok: true, completed: false });
		expect((await runs(userId))[0].steps).toEqual({ doc: 1, ma: 0 });
		expect(await run(userId, key, [WRONG, RIGHT, BAD_CODE, CODE])).toMatchObject({ ok: true, completed: true });
		expect((await runs(userId))[0].steps).toEqual({ doc: 1, ma: 1, xong: 0 });
		// Sent again after completing (an offline queue replaying it): nothing changes.
		await run(userId, key, [WRONG, WRONG, WRONG, RIGHT, CODE]);
		expect((await runs(userId))[0].steps).toEqual({ doc: 1, ma: 1, xong: 0 });
		expect(await completions(userId)).toHaveLength(1);
	});

	test('a risky choice counts as a wrong tap on its step, page by page and in a run sent whole, and leads to its explanation', async () => {
		const userId = await createLearner(h.db);
		const key = newKey();
		expect(await move(userId, key, RISKY)).toEqual({ counted: true, completed: false });
		expect((await runs(userId))[0].steps).toEqual({ doc: 1, 'giai-thich': 0 });
		await move(userId, key, BACK);
		await move(userId, key, RIGHT);
		await move(userId, key, CODE);
		expect((await runs(userId))[0].steps).toEqual({ doc: 1, 'giai-thich': 0, ma: 0, xong: 0 });
		const other = await createLearner(h.db);
		expect(await run(other, newKey(), [RISKY, BACK, WRONG, RISKY, BACK, RIGHT, CODE])).toMatchObject({ ok: true, completed: true });
		expect((await runs(other))[0].steps).toEqual({ doc: 3, 'giai-thich': 0, ma: 0, xong: 0 });
	});

	test('the course rule can require the practice: the record is issued by completing it, once under concurrent double posts', async () => {
		const unitId = await createUnit(h.db, 'Phước Hòa');
		const userId = await createLearner(h.db, { unitId });
		await read(userId, 'bai-doc');
		expect((await read(userId, LESSON)).record).toBeUndefined();
		let progress = (await listCourseProgress(h.db, userId)).get(REQUIRED)!;
		expect(progress.completed).toBe(false);
		expect(progress.lessons.find((l) => l.slug === LESSON)).toMatchObject({ read: true, done: false, practicesLeft: 1 });
		const key = newKey();
		await move(userId, key, RIGHT);
		// The same last step sent twice at once, and a second device's whole run at the same moment.
		const results = await Promise.all([move(userId, key, CODE), move(userId, key, CODE), run(userId, newKey(), [RIGHT, CODE]), run(userId, newKey(), [RIGHT, CODE])]);
		expect(results.every((r) => 'completed' in r && r.completed)).toBe(true);
		const codes = new Set(results.map((r) => ('record' in r ? r.record?.code : undefined)));
		expect(codes.size).toBe(1);
		expect([...codes][0]).toMatch(/^[A-Z0-9]+$/);
		expect(await completions(userId)).toHaveLength(1);
		expect(await records(userId)).toHaveLength(1);
		// The unit's count moved once with the record.
		const { rows } = await sql<{ n: number }>`select coalesce(sum(learners), 0)::int as n from stat_day where unit_id = ${unitId} and kind = 'course'`.execute(h.db);
		expect(rows[0].n).toBe(1);
		progress = (await listCourseProgress(h.db, userId)).get(REQUIRED)!;
		expect(progress).toMatchObject({ completed: true, done: 2 });
	});

	test('completing the practice first: reading the last lesson issues the record; a rule without practices does not wait for it', async () => {
		const userId = await createLearner(h.db);
		await run(userId, newKey(), [RIGHT, CODE]);
		await read(userId, 'bai-doc');
		expect((await read(userId, LESSON)).record).toBeDefined();
		const other = await createLearner(h.db);
		await read(other, 'bai-doc', OPTIONAL);
		expect((await read(other, LESSON, OPTIONAL)).record).toBeDefined();
		expect(await completions(other)).toEqual([]);
	});

	test("a guest's runs and completion move to the account they log in to; the record is issued then", async () => {
		const guest = await createGuest(h.db);
		const account = await createLearner(h.db);
		await read(guest, 'bai-doc');
		await read(guest, LESSON);
		const done = await run(guest, newKey(), [WRONG, RIGHT, CODE]);
		expect(done).toMatchObject({ ok: true, completed: true });
		expect(done.ok && done.record).toBeUndefined();
		await run(account, newKey(), [RIGHT]);
		await h.db.transaction().execute((trx) => mergeLearnerData(trx, guest, account));
		expect(await completions(account)).toHaveLength(1);
		expect(await completions(guest)).toEqual([]);
		expect((await runs(account)).map((r) => r.steps)).toEqual([{ doc: 1, ma: 0, xong: 0 }, { doc: 0, ma: 0 }]);
		expect(await records(account)).toHaveLength(1);
		const exported = (await exportLearningData(h.db, account)) as { practiceRuns: { practice: string; wrongTapsPerStep: Record<string, number> }[] };
		expect(exported.practiceRuns.map((r) => r.wrongTapsPerStep)).toEqual([{ doc: 1, ma: 0, xong: 0 }, { doc: 0, ma: 0 }]);
	});

	test("trainers' figures: runs started and completed, and per step the runs reaching it, mean wrong taps and share with one", async () => {
		const unitId = await createUnit(h.db, 'An Nhơn');
		const a = await createLearner(h.db, { unitId });
		const b = await createLearner(h.db, { unitId });
		const outside = await createLearner(h.db);
		await run(a, newKey(), [WRONG, WRONG, WRONG, RIGHT, CODE], OPTIONAL);
		await run(a, newKey(), [RIGHT], OPTIONAL);
		await run(b, newKey(), [RIGHT, BAD_CODE, CODE], OPTIONAL);
		await run(outside, newKey(), [WRONG, RIGHT, CODE], OPTIONAL);
		const courseId = content.ids.courses.get(OPTIONAL)!.id;
		const lessonId = content.ids.lessons.get(`${OPTIONAL}/${LESSON}`)!.id;
		const inUnit = (await practiceStats(h.db, { courseId, unitId })).get(`${lessonId}/tin-nhan`)!;
		expect(inUnit).toMatchObject({ started: 3, completed: 2, learners: 2, learnersCompleted: 2 });
		expect(inUnit.steps.get('doc')).toEqual({ step: 'doc', reached: 3, meanWrong: 1, shareWithWrong: 1 / 3 });
		expect(inUnit.steps.get('ma')).toEqual({ step: 'ma', reached: 3, meanWrong: 1 / 3, shareWithWrong: 1 / 3 });
		expect(inUnit.steps.get('xong')).toMatchObject({ reached: 2 });
		const all = (await practiceStats(h.db, { courseId })).get(`${lessonId}/tin-nhan`)!;
		expect(all).toMatchObject({ started: 4, completed: 3, learners: 3 });
		expect(all.steps.get('doc')).toMatchObject({ reached: 4, meanWrong: 1, shareWithWrong: 0.5 });
		// A period before today holds none of them.
		expect((await practiceStats(h.db, { courseId, from: '2020-01-01', to: '2020-12-31' })).size).toBe(0);
		expect((await practiceStats(h.db, { courseId, from: '2020-01-01' })).get(`${lessonId}/tin-nhan`)?.started).toBe(4);
	});
});
