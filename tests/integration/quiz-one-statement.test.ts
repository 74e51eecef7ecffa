import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { testDbKind } from './support/test-db';
import { QUIZ_ALL_RIGHT as allRight, QUIZ_COURSE as COURSE, QUIZ_LESSON as LESSON, createLearner, newKey, openFixtureQuiz, type FixtureQuiz } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { readyQuizStatements, submitQuiz, submitQuizInOneStatement } from '../../src/lib/server/learning/attempts';
import { warmConnections } from '../../src/lib/server/db/pipeline';
import { sql } from 'kysely';
import { markLessonRead } from '../../src/lib/server/learning/progress';
import { createGuest } from './support/learning';
import { createSession, generateSessionToken, invalidateSession, sessionIdOf } from '../../src/lib/server/auth/session';

const DAY = 864e5;

/**
 * Counts the statements a database handle runs, by their results (BEGIN and COMMIT of a transaction are not among
 * them): a statement compiled once and run many times counts each time it runs.
 */
function counting(db: DbHandle['db']) {
	const counter = { statements: 0 };
	const plugin: KyselyPlugin = {
		transformQuery: (args) => args.node,
		transformResult: async (args) => {
			counter.statements++;
			return args.result;
		}
	};
	return { db: db.withPlugin(plugin), counter };
}

describe(`a quiz submission in one statement (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let respond: FixtureQuiz['respond'];
	const allWrong = { 't-mot': 'Chữ 4G' };

	beforeAll(async () => {
		({ h, content, respond } = await openFixtureQuiz());
	});
	afterAll(async () => h?.close());

	async function learnerWithSession(expiresInDays = 30) {
		const userId = await createLearner(h.db);
		const token = generateSessionToken();
		const session = await createSession(h.db, token, userId);
		if (expiresInDays !== 30) {
			await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() + expiresInDays * DAY) }).where('id', '=', session.id).execute();
		}
		return { userId, sessionId: session.id };
	}
	const quick = (sessionId: string, answers: Record<string, string | string[]>, submissionKey = newKey(), db = h.db) =>
		submitQuizInOneStatement(db, { sessionId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey, responses: respond(answers) }, content);
	const attemptsOf = async (userId: number) =>
		(await h.db.selectFrom('quiz_attempt').select(['id', 'submission_key', 'score']).where('user_id', '=', userId).orderBy('id').execute());
	const progressOf = (userId: number) =>
		h.db.selectFrom('lesson_progress').select(['read_at', 'passed_at', 'best_score']).where('user_id', '=', userId).executeTakeFirst();

	test('a retry of a quiz already tried is stored in one statement: attempt, best score, nothing else changed', async () => {
		const { userId, sessionId } = await learnerWithSession();
		// The first attempt reads the lesson: that can complete a course, so it is left to submitQuiz.
		const first = await quick(sessionId, allWrong);
		expect(first.outcome).toBe('session-only');
		expect(first.outcome !== 'no-session' && first.row.user_id).toBe(userId);
		expect(await attemptsOf(userId)).toEqual([]);
		await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		const before = await progressOf(userId);

		const partly = { ...allWrong, 't-dung-sai': 'false' };
		const key = newKey();
		const { db, counter } = counting(h.db);
		const retry = await quick(sessionId, partly, key, db);
		console.log(`[statements] quiz retry in one statement: ${counter.statements} statement(s), no transaction`);
		expect(counter.statements).toBe(1);
		expect(retry.outcome).toBe('stored');
		const attempts = await attemptsOf(userId);
		expect(attempts).toHaveLength(2);
		expect(retry.outcome === 'stored' && retry.attemptId).toBe(attempts[1].id);
		expect(attempts[1].submission_key).toBe(key);
		expect(attempts[1].score).toBeGreaterThan(0);
		const after = await progressOf(userId);
		expect(after?.best_score).toBe(attempts[1].score);
		expect(after?.read_at).toEqual(before?.read_at);
		expect(after?.passed_at).toBeNull();

		// A lower score later keeps the best one; the same form sent again gives back the stored attempt.
		expect((await quick(sessionId, allWrong)).outcome).toBe('stored');
		expect((await progressOf(userId))?.best_score).toBe(attempts[1].score);
		const resend = await quick(sessionId, partly, key);
		expect(resend.outcome === 'stored' && resend.attemptId).toBe(attempts[1].id);
		// The same key with a passing answer (a form edited and sent again) is left to submitQuiz: still one attempt.
		expect((await quick(sessionId, allRight, key)).outcome).toBe('session-only');
		const replayed = await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses: respond(allRight) }, content);
		expect(replayed.created).toBe(false);
		expect(replayed.attempt.id).toBe(attempts[1].id);
		expect(await attemptsOf(userId)).toHaveLength(3);
	});

	test('a first pass is left to submitQuiz (it can complete the course); once passed, passing again is quick', async () => {
		const { userId, sessionId } = await learnerWithSession();
		await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		expect((await quick(sessionId, allRight)).outcome).toBe('session-only');
		expect(await attemptsOf(userId)).toHaveLength(1);
		const { db, counter } = counting(h.db);
		const pass = await submitQuiz(db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allRight) }, content);
		console.log(`[statements] first pass through submitQuiz: ${counter.statements} statement(s) + BEGIN and COMMIT`);
		expect(pass.attempt.passed).toBe(true);
		const passedAt = (await progressOf(userId))?.passed_at;
		expect(passedAt).toBeInstanceOf(Date);
		expect((await quick(sessionId, allRight)).outcome).toBe('stored');
		expect((await progressOf(userId))?.passed_at).toEqual(passedAt);
		expect(await attemptsOf(userId)).toHaveLength(3);
	});

	test('the first attempt after reading the lesson goes to submitQuiz, which counts its questions once; a guest\'s retry is quick', async () => {
		const { userId, sessionId } = await learnerWithSession();
		await markLessonRead(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON }, content);
		const questionCounts = async () =>
			(await h.db.selectFrom('analytics_question').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('answered'), eb.lit(0)).as('n')).executeTakeFirstOrThrow()).n;
		const before = Number(await questionCounts());
		// Read, not tried yet: the analytics have a first attempt to count, which the quick statement leaves alone.
		const key = newKey();
		const handedOn = await quick(sessionId, allWrong, key);
		expect(handedOn.outcome).toBe('session-only');
		expect(await attemptsOf(userId)).toHaveLength(0);
		// As the quiz action does: submitQuiz stores the submission as the quick statement graded it.
		const graded = handedOn.outcome === 'session-only' ? handedOn.graded : undefined;
		expect(graded?.grade.score).toBeGreaterThanOrEqual(0);
		const stored = await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses: respond(allWrong) }, content, graded);
		expect(stored.attempt.score).toBe(graded!.grade.score);
		expect(stored.attempt.passed).toBe(false);
		const counted = Number(await questionCounts());
		expect(counted).toBeGreaterThan(before);
		const open = await h.db.selectFrom('lesson_open').select('first_attempt_id').where('user_id', '=', userId).executeTakeFirstOrThrow();
		expect(open.first_attempt_id).toBe((await attemptsOf(userId))[0].id);
		// From then on retries are quick, and count no question again.
		expect((await quick(sessionId, allWrong)).outcome).toBe('stored');
		expect(Number(await questionCounts())).toBe(counted);

		// A guest has no analytics row: once they have tried, their retries are quick as well.
		const guestId = await createGuest(h.db);
		const guestSession = (await createSession(h.db, generateSessionToken(), guestId)).id;
		await submitQuiz(h.db, { userId: guestId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		expect((await quick(guestSession, allWrong)).outcome).toBe('stored');
		expect(await attemptsOf(guestId)).toHaveLength(2);
	});

	test('no usable session writes nothing: unknown, ended, expired, due for renewal, or of a deleted account', async () => {
		const { userId, sessionId } = await learnerWithSession();
		await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		expect((await quick(sessionIdOf(generateSessionToken()), allWrong)).outcome).toBe('no-session');
		// Ending a session takes effect at once: nothing is remembered between requests.
		expect((await quick(sessionId, allWrong)).outcome).toBe('stored');
		await invalidateSession(h.db, sessionId);
		expect((await quick(sessionId, allWrong)).outcome).toBe('no-session');
		expect(await attemptsOf(userId)).toHaveLength(2);

		for (const days of [-1, 10]) {
			const other = await learnerWithSession(days);
			await submitQuiz(h.db, { userId: other.userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
			expect((await quick(other.sessionId, allWrong)).outcome, `${days} days left`).toBe('no-session');
			expect(await attemptsOf(other.userId)).toHaveLength(1);
		}
		const gone = await learnerWithSession();
		await submitQuiz(h.db, { userId: gone.userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		await h.db.updateTable('app_user').set({ deleted_at: new Date() }).where('id', '=', gone.userId).execute();
		expect((await quick(gone.sessionId, allWrong)).outcome).toBe('no-session');
		expect(await attemptsOf(gone.userId)).toHaveLength(1);
	});

	test('many quick retries at once, each key sent three times: one attempt per key, best score kept', async () => {
		const { userId, sessionId } = await learnerWithSession();
		await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
		const keys = Array.from({ length: 6 }, () => newKey());
		const answers = (i: number) => (i % 2 ? allWrong : { ...allWrong, 't-dung-sai': 'false' });
		const results = await Promise.all([...keys, ...keys, ...keys].map((k) => quick(sessionId, answers(keys.indexOf(k)), k)));
		// A resend racing its own first send may find it not yet visible: it is then left to submitQuiz, never stored twice.
		for (const r of results) expect(['stored', 'session-only']).toContain(r.outcome);
		const attempts = await attemptsOf(userId);
		expect(attempts.map((a) => a.submission_key).sort()).toEqual(expect.arrayContaining(keys));
		expect(new Set(attempts.map((a) => a.submission_key)).size).toBe(attempts.length);
		expect((await progressOf(userId))?.best_score).toBe(Math.max(...attempts.map((a) => a.score)));
	});

	test('connections readied at start write nothing, and submissions on them run on the statements prepared then', async () => {
		const rowCounts = async () => {
			const { rows } = await sql<{ t: string }>`select format('%I', tablename) as t from pg_tables where schemaname = 'public' order by 1`.execute(h.db);
			return (await sql<{ x: string }>`${sql.raw(rows.map((r) => `select '${r.t} ' || count(*)::text as x from ${r.t}`).join(' union all '))}`.execute(h.db)).rows.map((r) => r.x);
		};
		const before = await rowCounts();
		const { userId, sessionId } = await learnerWithSession();
		const withLearner = await rowCounts();
		expect(withLearner).not.toEqual(before);
		const prepared = (conn: DbHandle['db']) =>
			sql<{ name: string; prepared_at: Date }>`select name, prepare_time as prepared_at from pg_prepared_statements order by name`.execute(conn);

		const readied: { name: string; prepared_at: Date }[][] = [];
		const result = await warmConnections(h.db, 3, async (conn) => {
			await readyQuizStatements(conn);
			if (testDbKind === 'postgres') readied.push((await prepared(conn)).rows);
		});
		// (PGlite has one connection.)
		expect(result).toEqual({ warmed: testDbKind === 'postgres' ? 3 : 1, failures: [] });
		expect(await rowCounts()).toEqual(withLearner);
		if (testDbKind === 'postgres') {
			expect(readied).toHaveLength(3);
			for (const statements of readied) {
				expect(statements.map((r) => r.name)).toEqual(
					expect.arrayContaining([
						'quiz_submission',
						'quiz_attempt_result',
						'quiz_attempt_with_progress:together',
						'lesson_progress_counts:together',
						'course_state:together',
						'record_of_course:together'
					])
				);
			}
		}

		// On one connection readied so, the long way (a first attempt, a first pass) and the quick one (a retry).
		const after = await h.db.connection().execute(async (conn) => {
			await readyQuizStatements(conn);
			const statements = testDbKind === 'postgres' ? (await prepared(conn)).rows : [];
			const first = await quick(sessionId, allWrong, newKey(), conn);
			expect(first.outcome).toBe('session-only');
			await submitQuiz(conn, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allWrong) }, content);
			expect((await quick(sessionId, allRight, newKey(), conn)).outcome).toBe('session-only');
			const pass = await submitQuiz(conn, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses: respond(allRight) }, content);
			expect(pass.attempt.passed).toBe(true);
			expect((await quick(sessionId, allRight, newKey(), conn)).outcome).toBe('stored');
			return { statements, now: testDbKind === 'postgres' ? (await prepared(conn)).rows : [] };
		});
		expect(await attemptsOf(userId)).toHaveLength(3);
		expect((await progressOf(userId))?.passed_at).toBeInstanceOf(Date);
		// Nothing was prepared again: the statements ran under the names readying gave them.
		for (const s of after.statements) expect(after.now).toContainEqual(s);
	});
});
