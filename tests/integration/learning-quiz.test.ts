import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDbKind } from './support/test-db';
import { QUIZ_ALL_RIGHT as allRight, QUIZ_COURSE as COURSE, QUIZ_LESSON as LESSON, createLearner, newKey, openFixtureQuiz, type FixtureQuiz } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { QuizNotFoundError, findAttemptResult, submitQuiz } from '../../src/lib/server/learning/attempts';

describe(`quiz grading and attempts (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let respond: FixtureQuiz['respond'];

	beforeAll(async () => {
		({ h, content, respond } = await openFixtureQuiz());
	});
	afterAll(async () => {
		await h?.close();
	});

	test('every question type right: 100%, passed, with answer and general feedback; essays and descriptions not scored', async () => {
		const userId = await createLearner(h.db);
		const r = await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allRight) }, content);
		expect(r.created).toBe(true);
		expect(r.attempt.score).toBe(100);
		expect(r.attempt.passed).toBe(true);
		const states = Object.fromEntries(Object.entries(r.attempt.results).map(([id, x]) => [id, x.state]));
		expect(states).toEqual({
			't-mot': 'correct',
			't-nhieu': 'correct',
			't-dung-sai': 'correct',
			't-ngan': 'correct',
			't-ghep': 'correct',
			't-so': 'correct',
			't-khoang': 'correct',
			't-dien-tu': 'correct',
			't-tu-luan': 'manual'
		});
		expect(r.grades['t-mot'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-QUAT-DUNG']);
		expect(r.grades['t-mot'].generalFeedback?.text).toBe('PHAN-HOI-CHUNG-MOT');
		expect(r.grades['t-dung-sai'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-DUNG-SAI-DUNG']);
		// Each result names the question version that was graded.
		for (const [id, res] of Object.entries(r.attempt.results)) {
			expect(res.question_version_id).toBe(content.ids.questions.get(`${COURSE}/${id}`)!.versionId);
		}
		const stored = await h.db.selectFrom('quiz_attempt').selectAll().where('id', '=', r.attempt.id).executeTakeFirstOrThrow();
		expect(stored.score).toBe(100);
		expect(stored.lesson_version_id).toBe(content.ids.lessons.get(`${COURSE}/${LESSON}`)!.versionId);
	});

	test('partial credit: weights, wildcards, matching and numerical partial answers', async () => {
		const userId = await createLearner(h.db);
		const r = await submitQuiz(
			h.db,
			{
				userId,
				courseSlug: COURSE,
				lessonSlug: LESSON,
				submissionKey: newKey(),
				responses: respond({
					't-mot': 'Hình cái quạt',
					't-nhieu': ['Đặt mật khẩu dài'],
					't-dung-sai': 'true',
					't-ngan': 'VN-ID',
					't-ghep': ['Nhắn tin', 'Tìm đường', 'Tìm đường'],
					't-so': '100',
					't-khoang': '3',
					't-dien-tu': 'nhanh hơn'
				})
			},
			content
		);
		const res = r.attempt.results;
		expect(res['t-nhieu']).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(res['t-dung-sai']).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(res['t-ngan']).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(res['t-ghep'].state).toBe('partial');
		expect(res['t-ghep'].fraction).toBeCloseTo(2 / 3, 5);
		expect(res['t-so']).toMatchObject({ fraction: 0.5, state: 'partial' });
		expect(res['t-dien-tu']).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(res['t-tu-luan'].state).toBe('manual');
		expect(r.grades['t-ngan'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-GAN-DUNG']);
		expect(r.grades['t-so'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-SO-MEGABIT']);
		expect(r.grades['t-dung-sai'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-DUNG-SAI-SAI']);
		// (1 + 0.5 + 0 + 0.5 + 2/3 + 0.5 + 1 + 0) / 8 gradable questions
		expect(r.attempt.score).toBeCloseTo(((1 + 0.5 + 0 + 0.5 + 2 / 3 + 0.5 + 1 + 0) / 8) * 100, 1);
		expect(r.attempt.passed).toBe(false);
	});

	test('negative credit: a wrong choice cancels right ones but a question never scores below 0', async () => {
		const userId = await createLearner(h.db);
		const r = await submitQuiz(
			h.db,
			{
				userId,
				courseSlug: COURSE,
				lessonSlug: LESSON,
				submissionKey: newKey(),
				responses: respond({ 't-nhieu': ['Đặt mật khẩu dài', 'Dán mật khẩu lên cửa'] })
			},
			content
		);
		expect(r.attempt.results['t-nhieu']).toMatchObject({ fraction: 0, state: 'incorrect' });
		expect(r.grades['t-nhieu'].feedback.map((f) => f.text).sort()).toEqual(['PHAN-HOI-DAN-CUA', 'PHAN-HOI-MAT-KHAU-DAI']);
		const all3 = await submitQuiz(
			h.db,
			{
				userId,
				courseSlug: COURSE,
				lessonSlug: LESSON,
				submissionKey: newKey(),
				responses: respond({ 't-nhieu': ['Đặt mật khẩu dài', 'Không cho người lạ mật khẩu', 'Dán mật khẩu lên cửa'] })
			},
			content
		);
		expect(all3.attempt.results['t-nhieu']).toMatchObject({ fraction: 0, state: 'incorrect' });
		// Unanswered questions score 0 and are stored as such.
		expect(r.attempt.results['t-mot']).toMatchObject({ fraction: 0, state: 'unanswered' });
		expect(r.attempt.score).toBe(0);
	});

	test('answers to questions of other lessons are not stored', async () => {
		const userId = await createLearner(h.db);
		const r = await submitQuiz(
			h.db,
			{ userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: { ...respond({ 't-mot': 'Chữ 4G' }), 'khac': 'x' } },
			content
		);
		expect(Object.keys(r.attempt.responses)).toEqual(['t-mot']);
		expect(r.grades['t-mot'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-4G-SAI']);
	});

	test('the same submission sent twice at once records one attempt, and a resend returns the stored result', async () => {
		const userId = await createLearner(h.db);
		const key = newKey();
		const input = { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses: respond(allRight) };
		const [a, b] = await Promise.all([submitQuiz(h.db, input, content), submitQuiz(h.db, input, content)]);
		expect(a.attempt.id).toBe(b.attempt.id);
		expect([a.created, b.created].sort()).toEqual([false, true]);
		// A resend with different answers (a replayed form edited in between) still returns the first result.
		const again = await submitQuiz(h.db, { ...input, responses: respond({ 't-mot': 'Chữ 4G' }) }, content);
		expect(again.created).toBe(false);
		expect(again.attempt.id).toBe(a.attempt.id);
		expect(again.attempt.score).toBe(100);
		expect(again.grades['t-mot'].state).toBe('correct');
		expect(again.grades['t-mot'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-QUAT-DUNG']);
		const n = await h.db.selectFrom('quiz_attempt').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
		expect(Number(n.n)).toBe(1);
	});

	test('many concurrent resends of one key and distinct keys: one attempt per key', async () => {
		const userId = await createLearner(h.db);
		const keys = [newKey(), newKey(), newKey()];
		const input = (k: string) => ({ userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: k, responses: respond({ 't-mot': 'Hình cái quạt' }) });
		await Promise.all([...keys, ...keys, ...keys].map((k) => submitQuiz(h.db, input(k), content)));
		const rows = await h.db.selectFrom('quiz_attempt').select('submission_key').where('user_id', '=', userId).execute();
		expect(rows.map((r) => r.submission_key).sort()).toEqual([...keys].sort());
	});

	test("the result page shows a learner's own attempt with its feedback, and nobody else's", async () => {
		const owner = await createLearner(h.db);
		const other = await createLearner(h.db);
		const r = await submitQuiz(h.db, { userId: owner, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allRight) }, content);
		const mine = await findAttemptResult(h.db, owner, COURSE, LESSON, r.attempt.id, content);
		expect(mine?.attempt.id).toBe(r.attempt.id);
		expect(mine?.attempt.score).toBe(100);
		expect(mine?.grades['t-mot'].feedback.map((f) => f.text)).toEqual(['PHAN-HOI-QUAT-DUNG']);
		expect(await findAttemptResult(h.db, other, COURSE, LESSON, r.attempt.id, content)).toBeUndefined();
		// The attempt is not shown under another lesson either.
		const otherLesson = content.courses.find((c) => c.slug === COURSE)!.lessons.find((l) => l.slug !== LESSON)!;
		expect(await findAttemptResult(h.db, owner, COURSE, otherLesson.slug, r.attempt.id, content)).toBeUndefined();
		// A number no attempt id can be is no attempt (not a database error).
		for (const n of [2147483648, 0, -1, 1.5]) expect(await findAttemptResult(h.db, owner, COURSE, LESSON, n, content)).toBeUndefined();
	});

	test('the same key from two learners is two attempts', async () => {
		const a = await createLearner(h.db);
		const b = await createLearner(h.db);
		const key = newKey();
		const ra = await submitQuiz(h.db, { userId: a, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses: {} }, content);
		const rb = await submitQuiz(h.db, { userId: b, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses: {} }, content);
		expect(ra.attempt.id).not.toBe(rb.attempt.id);
		expect(rb.created).toBe(true);
	});

	test('a lesson without a quiz, an unknown lesson or a malformed key is refused', async () => {
		const userId = await createLearner(h.db);
		await expect(submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: 'bai-doc', submissionKey: newKey(), responses: {} }, content)).rejects.toThrow(QuizNotFoundError);
		await expect(submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: 'khong-co', submissionKey: newKey(), responses: {} }, content)).rejects.toThrow(QuizNotFoundError);
		await expect(submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: 'x', responses: {} }, content)).rejects.toThrow('Invalid submission key');
	});
});
