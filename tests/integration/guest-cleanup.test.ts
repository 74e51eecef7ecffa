import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createGuest, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { markLessonRead } from '../../src/lib/server/learning/progress';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { removeIdleGuests } from '../../src/lib/server/auth/guests';

const ONE = 'khoa-mot-bai';

describe(`removing idle guests (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
	});
	afterAll(async () => h?.close());

	async function passCourse(userId: number) {
		const q = findQuestions(content, ONE, 'bai-duy-nhat').get('m-1')!;
		await submitQuiz(h.db, { userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(q, 'true') } }, content);
	}

	/** A user with a session, an attempt and progress, everything dated `days` ago (session expired unless `sessionLeft`). */
	async function activeDaysAgo(userId: number, days: number, sessionLeftDays = -1) {
		await createSession(h.db, generateSessionToken(), userId);
		await passCourse(userId);
		await markLessonRead(h.db, { userId, courseSlug: 'khoa-kiem-thu', lessonSlug: 'bai-doc' }, content);
		// Creation times cannot be updated through the typed tables (on purpose): back-date them in SQL.
		await sql`update app_user set created_at = now() - make_interval(days => ${days}) where id = ${userId}`.execute(h.db);
		await sql`update quiz_attempt set created_at = now() - make_interval(days => ${days}) where user_id = ${userId}`.execute(h.db);
		await sql`update lesson_progress set updated_at = now() - make_interval(days => ${days}), read_at = now() - make_interval(days => ${days}) where user_id = ${userId}`.execute(h.db);
		await h.db
			.updateTable('user_session')
			.set({ expires_at: sql<Date>`now() + make_interval(days => ${sessionLeftDays})` })
			.where('user_id', '=', userId)
			.execute();
	}

	const rowsOf = async (userId: number) => {
		const n = async (table: 'app_user' | 'quiz_attempt' | 'lesson_progress' | 'user_session' | 'completion_record') =>
			Number(
				(
					await h.db
						.selectFrom(table)
						.select((eb) => eb.fn.countAll().as('n'))
						.where(table === 'app_user' ? 'id' : 'user_id', '=', userId)
						.executeTakeFirstOrThrow()
				).n
			);
		return { user: await n('app_user'), attempts: await n('quiz_attempt'), progress: await n('lesson_progress'), sessions: await n('user_session'), records: await n('completion_record') };
	};

	test('guests idle for 30 days go with their attempts, progress and sessions; others and learners stay', async () => {
		const idle = await createGuest(h.db);
		await activeDaysAgo(idle, 31);
		const recent = await createGuest(h.db);
		await activeDaysAgo(recent, 29);
		const visiting = await createGuest(h.db);
		await activeDaysAgo(visiting, 45, 10); // learned long ago, but visited in the last 30 days (session still valid)
		const fresh = await createGuest(h.db); // created just now, nothing done yet
		const learner = await createLearner(h.db);
		await activeDaysAgo(learner, 400);

		expect(await rowsOf(idle)).toEqual({ user: 1, attempts: 1, progress: 2, sessions: 1, records: 0 });
		expect(await rowsOf(learner)).toMatchObject({ user: 1, attempts: 1, records: 1 });

		expect(await removeIdleGuests(h.db)).toBe(1);
		expect(await rowsOf(idle)).toEqual({ user: 0, attempts: 0, progress: 0, sessions: 0, records: 0 });
		for (const kept of [recent, visiting, fresh]) expect((await rowsOf(kept)).user).toBe(1);
		expect(await rowsOf(recent)).toMatchObject({ attempts: 1, progress: 2 });
		// Learners are never removed, however idle: their records count toward targets.
		expect(await rowsOf(learner)).toEqual({ user: 1, attempts: 1, progress: 2, sessions: 1, records: 1 });
		// Nothing more to remove.
		expect(await removeIdleGuests(h.db)).toBe(0);
	});

	test('more idle guests than one batch', async () => {
		const { rows } = await sql<{ id: number }>`
			insert into app_user (kind, created_at) select 'guest', now() - interval '60 days' from generate_series(1, 2300) returning id`.execute(h.db);
		expect(rows.length).toBe(2300);
		expect(await removeIdleGuests(h.db)).toBe(2300);
		const left = await h.db.selectFrom('app_user').select('id').where('id', 'in', rows.map((r) => r.id)).execute();
		expect(left).toEqual([]);
	});
});
