import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CamelCasePlugin, sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createLearner, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { precompiled } from '../../src/lib/server/db/prepared';
import { submitQuiz, submitQuizInOneStatement } from '../../src/lib/server/learning/attempts';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';

const COURSE = 'khoa-kiem-thu';
const LESSON = 'moi-loai-cau-hoi';

const sumOf = precompiled('test_sum_of', 2, (a: number, b: number) => sql<{ n: number; a: number }>`select ${a}::integer + ${b}::integer as n, ${a}::integer as a`);

/** The prepared statements of the connection a transaction runs on, with how often each was planned or run. */
async function preparedOn(trx: Parameters<typeof sumOf.run>[0]) {
	const { rows } = await sql<{ name: string; runs: number }>`
		select name, (generic_plans + custom_plans)::integer as runs from pg_prepared_statements order by name`.execute(trx);
	return rows;
}

describe(`statements compiled once (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
	});
	afterAll(async () => h?.close());

	test('each run takes its own values, in every place a value is used', async () => {
		const results = await h.db.transaction().execute(async (trx) => {
			const out = [];
			for (let i = 0; i < 7; i++) out.push((await sumOf.run(trx, i, 10 * i)).rows[0]);
			return { out, prepared: testDbKind === 'postgres' ? await preparedOn(trx) : null };
		});
		expect(results.out).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => ({ n: 11 * i, a: i })));
		if (testDbKind === 'postgres') {
			// Parsed once on this connection and run seven times under its name.
			expect(results.prepared).toEqual([{ name: 'test_sum_of', runs: 7 }]);
		}
	});

	test('a statement is compiled once per database, also when it runs in many transactions', async () => {
		let builds = 0;
		const twice = precompiled('test_twice', 1, (a: number) => {
			builds++;
			return sql<{ n: number }>`select ${a}::integer * 2 as n`;
		});
		const results = [(await twice.run(h.db, 1)).rows[0].n];
		for (let i = 2; i <= 4; i++) results.push(await h.db.transaction().execute(async (trx) => (await twice.run(trx, i)).rows[0].n));
		results.push(await h.db.connection().execute(async (conn) => (await twice.run(conn, 5)).rows[0].n));
		expect(results).toEqual([2, 4, 6, 8, 10]);
		expect(builds).toBe(1);
	});

	test('a handle with a plugin has the statement compiled for it', async () => {
		let builds = 0;
		const named = precompiled('test_with_plugin', 1, (a: number) => {
			builds++;
			return sql<{ someValue: number }>`select ${a}::integer as some_value`;
		});
		expect((await named.run(h.db, 3)).rows[0]).toEqual({ some_value: 3 });
		const camel = h.db.withPlugin(new CamelCasePlugin());
		expect((await named.run(camel, 4)).rows[0]).toEqual({ someValue: 4 });
		expect(builds).toBe(2);
	});

	test('a value that is not used as a parameter is refused when the statement is compiled', async () => {
		const broken = precompiled('test_broken', 2, (a: number, b: number) => sql`select ${a}::integer as a, ${sql.raw(String(b))} as b`);
		await expect(broken.run(h.db, 1, 2)).rejects.toThrow(/1 of its values are not parameters/);
	});

	test('a quiz retry runs as its prepared statement on PostgreSQL and is stored once per key', async () => {
		const userId = await createLearner(h.db);
		const session = await createSession(h.db, generateSessionToken(), userId);
		const questions = findQuestions(content, COURSE, LESSON);
		const responses = { 't-mot': answer(questions.get('t-mot')!, 'Chữ 4G') };
		// The first attempt reads the lesson (submitQuiz); the retries after it are one statement each.
		await submitQuiz(h.db, { userId, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: newKey(), responses }, content);
		const keys = [newKey(), newKey(), newKey()];
		const { outcomes, prepared } = await h.db.transaction().execute(async (trx) => {
			const outcomes = [];
			for (const key of [...keys, keys[0]]) {
				const r = await submitQuizInOneStatement(trx, { sessionId: session.id, courseSlug: COURSE, lessonSlug: LESSON, submissionKey: key, responses }, content);
				outcomes.push(r.outcome === 'stored' ? r.attemptId : r.outcome);
			}
			return { outcomes, prepared: testDbKind === 'postgres' ? await preparedOn(trx) : null };
		});
		const attempts = await h.db.selectFrom('quiz_attempt').select(['id', 'submission_key']).where('user_id', '=', userId).orderBy('id').execute();
		expect(attempts.map((a) => a.submission_key).slice(1)).toEqual(keys);
		// The key sent again gives back its attempt.
		expect(outcomes).toEqual([attempts[1].id, attempts[2].id, attempts[3].id, attempts[1].id]);
		if (testDbKind === 'postgres') expect(prepared).toContainEqual({ name: 'quiz_submission', runs: 4 });
	});
});
