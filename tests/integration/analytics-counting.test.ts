import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createGuest, createLearner, createUnit, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import type { QuizResponse } from '../../src/lib/server/content/gift/types';
import { submitQuiz, submitQuizInOneStatement } from '../../src/lib/server/learning/attempts';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { markLessonRead, recordLessonOpened } from '../../src/lib/server/learning/progress';
import { analyticsSnapshot, rebuildAnalytics, rebuildAnalyticsIfMissing } from '../../src/lib/server/analytics/counters';

const K = 'khoa-kiem-thu';
const ONE = 'khoa-mot-bai';

/** A small deterministic random source (mulberry32), so a failing sequence can be replayed. */
function random(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe(`trainers' analytics: running counts (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	function responsesFor(lesson: string, rnd: () => number): Record<string, QuizResponse> {
		const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
		const course = lesson === 'bai-duy-nhat' ? ONE : K;
		const qs = findQuestions(content, course, lesson);
		const values: Record<string, string | string[]> =
			lesson === 'bai-duy-nhat'
				? { 'm-1': pick(['true', 'false']) }
				: lesson === 'bai-kiem-tra'
					? { 't-ngan-1': pick(['true', 'false']), 't-ngan-2': pick(['Cài đặt', 'Danh bạ']) }
					: {
							't-mot': pick(['Hình cái quạt', 'Chữ 4G', 'Hình cái pin']),
							't-nhieu': pick([['Đặt mật khẩu dài', 'Không cho người lạ mật khẩu'], ['Dán mật khẩu lên cửa'], ['Đổi tên mạng']]),
							't-dung-sai': pick(['true', 'false']),
							't-ngan': pick(['vneid', 'VNID', 'zalo', ' Zalo  ']),
							't-so': pick(['12,5', '100', '7']),
							't-dien-tu': pick(['chậm lại', 'nhanh hơn'])
						};
		// Some questions left unanswered now and then.
		return Object.fromEntries(Object.entries(values).filter(() => rnd() > 0.1).map(([id, v]) => [id, answer(qs.get(id)!, v)]));
	}

	test('after random opening, reading and quiz submissions (many at once), the counts equal a full recount', async () => {
		const rnd = random(20261202);
		const unitA = await createUnit(h.db, 'Xã A');
		const unitB = await createUnit(h.db, 'Xã B');
		const learners = [
			...(await Promise.all([0, 1, 2, 3].map(() => createLearner(h.db, { unitId: unitA })))),
			...(await Promise.all([0, 1, 2].map(() => createLearner(h.db, { unitId: unitB })))),
			await createLearner(h.db, { unitId: null })
		];
		const guest = await createGuest(h.db);
		const sessions = new Map<number, string>();
		for (const id of [...learners, guest]) sessions.set(id, (await createSession(h.db, generateSessionToken(), id)).id);
		const lessons: [string, string, boolean][] = [
			[K, 'bai-doc', false],
			[K, 'moi-loai-cau-hoi', true],
			[K, 'bai-kiem-tra', true],
			[ONE, 'bai-duy-nhat', true]
		];
		for (let round = 0; round < 25; round++) {
			const ops: Promise<unknown>[] = [];
			for (let i = 0; i < 8; i++) {
				const userId = rnd() < 0.08 ? guest : learners[Math.floor(rnd() * learners.length)];
				const [course, lesson, quiz] = lessons[Math.floor(rnd() * lessons.length)];
				const op = rnd();
				if (op < 0.35) ops.push(recordLessonOpened(h.db, userId, course, lesson, content));
				else if (op < 0.55 || !quiz) ops.push(markLessonRead(h.db, { userId, courseSlug: course, lessonSlug: lesson }, content));
				else {
					const key = newKey();
					const responses = responsesFor(lesson, rnd);
					// Half of the submissions go the way of the quiz form: one statement when the lesson was read before
					// (and passed, if this one passes), submitQuiz otherwise.
					const form = { courseSlug: course, lessonSlug: lesson, submissionKey: key, responses };
					ops.push(
						rnd() < 0.5
							? submitQuizInOneStatement(h.db, { ...form, sessionId: sessions.get(userId)! }, content).then((quick): Promise<unknown> | unknown =>
									quick.outcome === 'stored' ? quick : submitQuiz(h.db, { ...form, userId }, content)
								)
							: submitQuiz(h.db, { ...form, userId }, content)
					);
					// The same form sent twice at once counts once.
					if (rnd() < 0.2) ops.push(submitQuiz(h.db, { userId, courseSlug: course, lessonSlug: lesson, submissionKey: key, responses }, content));
				}
			}
			await Promise.all(ops);
		}
		const snap = await analyticsSnapshot(h.db);
		for (const t of ['analytics_lesson_day', 'analytics_lesson_time', 'analytics_question', 'analytics_answer']) {
			expect(snap.stored.filter((l) => l.startsWith(`${t} `)).length, t).toBeGreaterThan(0);
		}
		expect(snap.stored).toEqual(snap.recounted);

		// Guests count nowhere; every learner's reading agrees with their progress.
		const guestRows = await h.db.selectFrom('lesson_open').select('user_id').where('user_id', '=', guest).execute();
		expect(guestRows).toEqual([]);
		const { rows } = await sql<{ n: number }>`
			select count(*)::int as n from lesson_progress p join app_user u on u.id = p.user_id and u.kind = 'learner'
			left join lesson_open o on o.user_id = p.user_id and o.lesson_id = p.lesson_id
			where (o.read_at is null) <> (p.read_at is null) or (o.passed_at is null) <> (p.passed_at is null)`.execute(h.db);
		expect(rows[0].n).toBe(0);

		// Wrong typed answers are kept folded: " Zalo  " and "zalo" are one answer.
		const typed = await h.db.selectFrom('analytics_answer').select('answer').where('answer', 'like', '=%').execute();
		expect(typed.map((t) => t.answer)).not.toContain('= zalo  ');

		// A rebuild from scratch gives the same counts (what the first start after the upgrade does).
		const before = snap.stored;
		await h.db.transaction().execute((trx) => rebuildAnalytics(trx));
		expect((await analyticsSnapshot(h.db)).stored).toEqual(before);
	});

	test('rebuildAnalyticsIfMissing fills empty counts once from lesson_open (the upgrade path)', async () => {
		const userId = await createLearner(h.db, { unitId: null });
		await markLessonRead(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat' }, content);
		const stored = (await analyticsSnapshot(h.db)).stored;
		for (const t of ['analytics_lesson_day', 'analytics_lesson_time', 'analytics_question', 'analytics_answer'] as const) await h.db.deleteFrom(t).execute();
		expect(await rebuildAnalyticsIfMissing(h.db)).toBe(true);
		expect(await rebuildAnalyticsIfMissing(h.db)).toBe(false);
		expect((await analyticsSnapshot(h.db)).stored).toEqual(stored);
	});
});
