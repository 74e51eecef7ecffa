import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createGuest, createLearner, createUnit, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { findAttemptResult, submitQuiz } from '../../src/lib/server/learning/attempts';
import { listCourseProgress, markLessonRead, pickContinue } from '../../src/lib/server/learning/progress';
import { findRecordByCode, findRecordOfCourse, listRecordAudit, revokeRecord } from '../../src/lib/server/learning/records';
import { mergeLearnerData } from '../../src/lib/server/learning/merge';
import { assignCourse, listMyAssignments } from '../../src/lib/server/learning/assignments';
import { exportLearningData } from '../../src/lib/server/learning/export';

const K = 'khoa-kiem-thu';
const ONE = 'khoa-mot-bai';

describe(`progress, records and merging (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	function resp(course: string, lesson: string, answers: Record<string, string | string[]>) {
		const qs = findQuestions(content, course, lesson);
		return Object.fromEntries(Object.entries(answers).map(([id, v]) => [id, answer(qs.get(id)!, v)]));
	}
	const passOne = (userId: number, key = newKey()) =>
		submitQuiz(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: key, responses: resp(ONE, 'bai-duy-nhat', { 'm-1': 'true' }) }, content);
	const failOne = (userId: number) =>
		submitQuiz(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: resp(ONE, 'bai-duy-nhat', { 'm-1': 'false' }) }, content);
	const short = (userId: number, answers: Record<string, string>) =>
		submitQuiz(h.db, { userId, courseSlug: K, lessonSlug: 'bai-kiem-tra', submissionKey: newKey(), responses: resp(K, 'bai-kiem-tra', answers) }, content);
	const big = (userId: number, answers: Record<string, string | string[]>) =>
		submitQuiz(h.db, { userId, courseSlug: K, lessonSlug: 'moi-loai-cau-hoi', submissionKey: newKey(), responses: resp(K, 'moi-loai-cau-hoi', answers) }, content);
	const BIG_RIGHT = {
		't-mot': 'Hình cái quạt',
		't-nhieu': ['Đặt mật khẩu dài', 'Không cho người lạ mật khẩu'],
		't-dung-sai': 'false',
		't-ngan': 'VNeID',
		't-ghep': ['Nhắn tin', 'Định danh điện tử', 'Tìm đường'],
		't-so': '12.5',
		't-khoang': '5',
		't-dien-tu': 'chậm lại'
	};
	const countRecords = async (userId: number) =>
		Number((await h.db.selectFrom('completion_record').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

	test('the best attempt counts: a later lower score keeps the lesson passed and the best score', async () => {
		const userId = await createLearner(h.db);
		const first = await short(userId, { 't-ngan-1': 'false' });
		expect(first.attempt.passed).toBe(false);
		let p = (await listCourseProgress(h.db, userId)).get(K)!;
		expect(p.lessons.find((l) => l.slug === 'bai-kiem-tra')).toMatchObject({ read: true, passed: false, done: false, bestScore: 0 });
		const second = await short(userId, { 't-ngan-1': 'true', 't-ngan-2': 'Cài đặt' });
		expect(second.attempt.passed).toBe(true);
		await short(userId, { 't-ngan-1': 'true' });
		p = (await listCourseProgress(h.db, userId)).get(K)!;
		expect(p.lessons.find((l) => l.slug === 'bai-kiem-tra')).toMatchObject({ read: true, passed: true, done: true, bestScore: 100 });
		expect(p.done).toBe(1);
		expect(p.total).toBe(3);
		expect(p.completed).toBe(false);
		expect(p.next?.slug).toBe('bai-doc');
	});

	test('completing every lesson and quiz issues one record with version, score, unit and audience', async () => {
		const unitId = await createUnit(h.db, 'Canh Liên');
		const userId = await createLearner(h.db, { name: 'Trần Thị Bình', unitId, audience: 'civil_servant' });
		expect((await markLessonRead(h.db, { userId, courseSlug: K, lessonSlug: 'bai-doc' }, content)).record).toBeUndefined();
		await big(userId, { ...BIG_RIGHT, 't-dien-tu': 'nhanh hơn' }); // 87.5%: passes at 80
		const done = await short(userId, { 't-ngan-1': 'true', 't-ngan-2': 'Danh bạ' }); // 50%: passes at 50
		expect(done.record).toBeDefined();
		const r = done.record!;
		expect(r.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
		expect(r.courseVersionId).toBe(content.ids.courses.get(K)!.versionId);
		expect(r.score).toBeCloseTo((87.5 + 50) / 2, 2);
		expect(r.unitId).toBe(unitId);
		expect(r.audience).toBe('civil_servant');
		// Doing more afterwards changes nothing: the record is immutable and single.
		const later = await big(userId, BIG_RIGHT);
		expect(later.record?.id).toBe(r.id);
		expect(later.record?.score).toBe(r.score);
		expect(await countRecords(userId)).toBe(1);
		const view = await findRecordByCode(h.db, r.code);
		expect(view).toMatchObject({ courseTitle: 'Khóa kiểm thử học tập', fullName: 'Trần Thị Bình', unitName: 'Xã Canh Liên' });
		const p = (await listCourseProgress(h.db, userId)).get(K)!;
		expect(p).toMatchObject({ done: 3, total: 3, completed: true, next: null, record: { code: r.code, revoked: false } });
	});

	test('a quiz lesson is not done by reading alone', async () => {
		const userId = await createLearner(h.db);
		await markLessonRead(h.db, { userId, courseSlug: K, lessonSlug: 'moi-loai-cau-hoi' }, content);
		const p = (await listCourseProgress(h.db, userId)).get(K)!;
		expect(p.lessons.find((l) => l.slug === 'moi-loai-cau-hoi')).toMatchObject({ read: true, done: false });
	});

	/** The database handle counting the statements run through it (BEGIN and COMMIT not among them; a batch is one). */
	function countingStatements() {
		const statements = { n: 0 };
		const counted = h.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => (statements.n++, args.result) });
		return { counted, statements };
	}

	test('a pass is checked against the course with the course and record read alongside the attempt; a pass that completes it issues the record', async () => {
		const userId = await createLearner(h.db);
		const { counted, statements } = countingStatements();
		const pass = await submitQuiz(
			counted,
			{ userId, courseSlug: K, lessonSlug: 'moi-loai-cau-hoi', submissionKey: newKey(), responses: resp(K, 'moi-loai-cau-hoi', BIG_RIGHT) },
			content
		);
		expect(pass.attempt.passed).toBe(true);
		// One lesson of three: not complete, no record.
		expect(pass.record).toBeUndefined();
		// The attempt, the analytics, the course with the learner's progress, the record: one round trip on a server.
		expect(statements.n).toBe(testDbKind === 'postgres' ? 1 : 4);
		const p = (await listCourseProgress(h.db, userId)).get(K)!;
		expect(p.lessons.find((l) => l.slug === 'moi-loai-cau-hoi')).toMatchObject({ read: true, passed: true, done: true });
		expect(p.completed).toBe(false);
		// A one-lesson course: the pass completes it, the course state read in the same round trip shows the pass.
		const one = await passOne(userId);
		expect(one.record).toBeDefined();
		expect(await countRecords(userId)).toBe(1);
		expect((await findRecordOfCourse(h.db, userId, one.attempt.courseId))?.id).toBe(one.record!.id);
		// Passing again shows the same record (read in the same round trip).
		expect((await passOne(userId)).record?.id).toBe(one.record!.id);
		expect(await countRecords(userId)).toBe(1);
	});

	test('a first attempt that fails reads the lesson, with no course check where its quiz must be passed; under "all-lessons" it completes the course', async () => {
		// khoa-mot-bai needs its quiz passed (all-quizzes): the attempt with the progress and the analytics, nothing else.
		const userId = await createLearner(h.db);
		const { counted, statements } = countingStatements();
		const failed = await submitQuiz(
			counted,
			{ userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: resp(ONE, 'bai-duy-nhat', { 'm-1': 'false' }) },
			content
		);
		expect(failed.attempt.passed).toBe(false);
		expect(failed.record).toBeUndefined();
		// On a PostgreSQL server the two are sent together: one round trip, the whole transaction (see runTogether).
		expect(statements.n).toBe(testDbKind === 'postgres' ? 1 : 2);
		expect((await listCourseProgress(h.db, userId)).get(ONE)?.lessons[0]).toMatchObject({ read: true, passed: false, done: false });
		const opened = await h.db.selectFrom('lesson_open').select(['read_at', 'passed_at', 'first_attempt_id']).where('user_id', '=', userId).executeTakeFirstOrThrow();
		expect(opened).toMatchObject({ passed_at: null, first_attempt_id: failed.attempt.id });
		expect(opened.read_at).toBeInstanceOf(Date);
		// The same course published with completion: all-lessons: reading its one lesson completes it, a failed quiz too.
		const versionId = content.ids.courses.get(ONE)!.versionId;
		const setRule = (rule: string) => sql`update course_version set meta = jsonb_set(meta, '{completion}', to_jsonb(${rule}::text)) where id = ${versionId}`.execute(h.db);
		const readingEnough = { ...content, courses: content.courses.map((c) => (c.slug === ONE ? { ...c, completion: 'all-lessons' as const } : c)) };
		await setRule('all-lessons');
		try {
			const reader = await createLearner(h.db);
			const r = await submitQuiz(
				h.db,
				{ userId: reader, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: resp(ONE, 'bai-duy-nhat', { 'm-1': 'false' }) },
				readingEnough
			);
			expect(r.attempt.passed).toBe(false);
			expect(r.record).toBeDefined();
			expect(await countRecords(reader)).toBe(1);
		} finally {
			await setRule('all-quizzes');
		}
	});

	test('two concurrent submissions that both complete a course make exactly one record', async () => {
		for (let i = 0; i < 5; i++) {
			const userId = await createLearner(h.db);
			const results = await Promise.all([passOne(userId), passOne(userId), passOne(userId)]);
			expect(new Set(results.map((r) => r.record?.id)).size).toBe(1);
			expect(results[0].record).toBeDefined();
			expect(await countRecords(userId)).toBe(1);
		}
	});

	test('two lessons finished at the same moment still complete the course (no lost completion)', async () => {
		for (let i = 0; i < 3; i++) {
			const userId = await createLearner(h.db);
			await big(userId, BIG_RIGHT);
			await Promise.all([
				markLessonRead(h.db, { userId, courseSlug: K, lessonSlug: 'bai-doc' }, content),
				short(userId, { 't-ngan-1': 'true', 't-ngan-2': 'Cài đặt' })
			]);
			expect(await countRecords(userId)).toBe(1);
		}
	});

	test('a guest gets no record; logging in merges the best attempt and issues it to the account', async () => {
		const unitId = await createUnit(h.db, 'Quy Nhơn');
		const guest = await createGuest(h.db);
		const learner = await createLearner(h.db, { unitId });
		await failOne(learner);
		const g = await passOne(guest);
		expect(g.record).toBeUndefined();
		expect(await countRecords(guest)).toBe(0);
		expect((await listCourseProgress(h.db, guest)).get(ONE)?.completed).toBe(true);

		await h.db.transaction().execute((trx) => mergeLearnerData(trx, guest, learner));
		const attempts = await h.db.selectFrom('quiz_attempt').select(['user_id', 'score']).where('user_id', 'in', [guest, learner]).execute();
		expect(attempts.every((a) => a.user_id === learner)).toBe(true);
		expect(attempts.map((a) => a.score).sort()).toEqual([0, 100]);
		const p = (await listCourseProgress(h.db, learner)).get(ONE)!;
		expect(p.lessons[0]).toMatchObject({ passed: true, bestScore: 100 });
		const rec = await h.db.selectFrom('completion_record').selectAll().where('user_id', '=', learner).execute();
		expect(rec).toHaveLength(1);
		expect(rec[0].unit_id).toBe(unitId);
		expect(await h.db.selectFrom('lesson_progress').select('user_id').where('user_id', '=', guest).execute()).toEqual([]);
	});

	test('merging never gives a course a second record and keeps the best score', async () => {
		const guest = await createGuest(h.db);
		const learner = await createLearner(h.db);
		const own = (await passOne(learner)).record!;
		await passOne(guest);
		// The guest also did better on a lesson of another course.
		await short(learner, { 't-ngan-1': 'true' });
		await short(guest, { 't-ngan-1': 'true', 't-ngan-2': 'Cài đặt' });
		// A submission key both happened to send (the same form replayed from both sessions) stays one attempt.
		const shared = newKey();
		await passOne(learner, shared);
		await passOne(guest, shared);

		await h.db.transaction().execute((trx) => mergeLearnerData(trx, guest, learner));
		const recs = await h.db.selectFrom('completion_record').select(['id', 'course_id']).where('user_id', '=', learner).execute();
		expect(recs).toHaveLength(1);
		expect(recs[0].id).toBe(own.id);
		const progress = (await listCourseProgress(h.db, learner)).get(K)!;
		expect(progress.lessons.find((l) => l.slug === 'bai-kiem-tra')?.bestScore).toBe(100);
		const keys = await h.db.selectFrom('quiz_attempt').select('submission_key').where('submission_key', '=', shared).execute();
		expect(keys).toHaveLength(1);
		// Merging again (a retried login) changes nothing.
		await h.db.transaction().execute((trx) => mergeLearnerData(trx, guest, learner));
		expect(await countRecords(learner)).toBe(1);
	});

	test('revoking a record writes the audit log; the verification shows it revoked with the reason', async () => {
		const admin = await createLearner(h.db, { name: 'Quản trị viên' });
		const userId = await createLearner(h.db);
		const r = (await passOne(userId)).record!;
		expect(await revokeRecord(h.db, r.code, '   ', admin)).toEqual({ ok: false, reason: 'no-reason' });
		const res = await revokeRecord(h.db, r.code, 'Thi hộ', admin);
		expect(res.ok).toBe(true);
		expect(await revokeRecord(h.db, r.code, 'Lần nữa', admin)).toEqual({ ok: false, reason: 'already-revoked' });
		expect(await revokeRecord(h.db, 'ZZZZZZZZZZ', 'x', admin)).toEqual({ ok: false, reason: 'not-found' });
		const view = await findRecordByCode(h.db, r.code);
		expect(view?.revokedAt).toBeInstanceOf(Date);
		expect(view?.revokeReason).toBe('Thi hộ');
		const audit = await h.db.selectFrom('record_audit').selectAll().where('record_id', '=', r.id).execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ action: 'revoke', reason: 'Thi hộ', actor_user_id: admin });
		const unitLog = await h.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'target_user_id', 'details']).where('target_user_id', '=', userId).execute();
		expect(unitLog).toEqual([{ action: 'record.revoke', actor_user_id: admin, target_user_id: userId, details: { code: r.code, reason: 'Thi hộ' } }]);
		const log = await listRecordAudit(h.db);
		expect(log[0]).toMatchObject({ code: r.code, action: 'revoke', reason: 'Thi hộ', actorName: 'Quản trị viên' });
		// A revoked record still blocks a second one for the course.
		await passOne(userId);
		expect(await countRecords(userId)).toBe(1);
	});

	test("a result page's attempt comes with the course record when it passed, as stored, revoked or not", async () => {
		const admin = await createLearner(h.db, { name: 'Quản trị viên' });
		const userId = await createLearner(h.db);
		const failed = await failOne(userId);
		const passed = await passOne(userId);
		const record = passed.record!;
		expect(record).toBeDefined();
		const shown = await findAttemptResult(h.db, userId, ONE, 'bai-duy-nhat', passed.attempt.id, content);
		expect(shown?.attempt).toEqual(passed.attempt);
		expect(shown?.attempt.createdAt).toBeInstanceOf(Date);
		expect(shown?.record).toEqual(await findRecordOfCourse(h.db, userId, passed.attempt.courseId));
		expect(shown?.record).toMatchObject({ id: record.id, code: record.code, revokedAt: null, revokeReason: null });
		expect(shown?.record?.issuedAt).toBeInstanceOf(Date);
		// An attempt that did not pass shows no record, though the learner has one now.
		const before = await findAttemptResult(h.db, userId, ONE, 'bai-duy-nhat', failed.attempt.id, content);
		expect(before?.attempt).toEqual(failed.attempt);
		expect(before?.record).toBeUndefined();
		// Revoked: the result shows the record as it is now.
		expect((await revokeRecord(h.db, record.code, 'Thi hộ', admin)).ok).toBe(true);
		const after = await findAttemptResult(h.db, userId, ONE, 'bai-duy-nhat', passed.attempt.id, content);
		expect(after?.record).toEqual(await findRecordOfCourse(h.db, userId, passed.attempt.courseId));
		expect(after?.record).toMatchObject({ code: record.code, revokeReason: 'Thi hộ' });
		expect(after?.record?.revokedAt).toBeInstanceOf(Date);
		// Another learner's attempt is not shown, with or without a record.
		const other = await createLearner(h.db);
		expect(await findAttemptResult(h.db, other, ONE, 'bai-duy-nhat', passed.attempt.id, content)).toBeUndefined();
	});

	test('assignments, "Học tiếp" and the data export', async () => {
		const userId = await createLearner(h.db);
		const due = new Date('2026-12-31T00:00:00Z');
		await assignCourse(h.db, { userId, courseSlug: ONE, dueAt: due });
		await assignCourse(h.db, { userId, courseSlug: K });
		const mine = await listMyAssignments(h.db, userId);
		expect(mine.map((a) => [a.courseSlug, a.dueAt?.toISOString() ?? null])).toEqual([
			[ONE, due.toISOString()],
			[K, null]
		]);
		let progress = await listCourseProgress(h.db, userId);
		expect(progress.get(ONE)).toMatchObject({ done: 0, total: 1, lastActiveAt: null });
		expect(pickContinue(progress)).toBeNull();
		await markLessonRead(h.db, { userId, courseSlug: K, lessonSlug: 'bai-doc' }, content);
		progress = await listCourseProgress(h.db, userId);
		expect(pickContinue(progress)?.lesson.url).toBe(`/courses/${K}/moi-loai-cau-hoi`);
		await failOne(userId);
		progress = await listCourseProgress(h.db, userId);
		expect(pickContinue(progress)?.lesson.url).toBe(`/courses/${ONE}/bai-duy-nhat`);

		const data = (await exportLearningData(h.db, userId)) as Record<string, unknown[]>;
		expect(data.quizAttempts).toHaveLength(1);
		expect(data.lessonProgress).toHaveLength(2);
		expect(data.assignments).toHaveLength(2);
		expect(data.completionRecords).toHaveLength(0);
	});
});
