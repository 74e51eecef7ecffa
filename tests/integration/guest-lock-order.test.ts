// Logging in or registering as a guest while the same guest's quiz is being stored: both sides take the learner
// lock before any row, so they never deadlock (40P01); the quiz either lands before the login (and moves to the
// account) or finds the guest gone (LearnerGoneError, which the page answers without a 500).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createGuest, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { LearnerGoneError } from '../../src/lib/server/learning/lock';
import { markLessonRead } from '../../src/lib/server/learning/progress';
import { loginWithPassword, startLoggedInSession } from '../../src/lib/server/auth/login';
import { saveRegistration } from '../../src/lib/server/auth/register';
import { hashPassword } from '../../src/lib/server/auth/password';

const ONE = 'khoa-mot-bai';
const PASSWORD = 'lúa chín vàng đồng';
const ROUNDS = 40;

describe(`lock order between login or registration and a guest's quiz (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let hash: string;
	let phoneCounter = 0;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
		hash = await hashPassword(PASSWORD);
	});
	afterAll(async () => h?.close());

	const nextPhone = () => `09${String(31_000_000 + ++phoneCounter).padStart(8, '0')}`;

	async function createAccount(): Promise<{ id: number; phone: string }> {
		const phone = nextPhone();
		const { id } = await h.db
			.insertInto('app_user')
			.values({ kind: 'learner', full_name: 'Lò Văn Chiến', phone, password_hash: hash, audience: 'citizen' })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { id, phone };
	}

	/** The guest passes the one-question course: the whole of its progress, and what makes a record. */
	function passCourse(guestId: number) {
		const q = findQuestions(content, ONE, 'bai-duy-nhat').get('m-1')!;
		return submitQuiz(h.db, { userId: guestId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(q, 'true') } }, content);
	}

	/** A guest who has read a lesson of the other course already (so the merge has rows to move). */
	async function guestWithProgress(): Promise<number> {
		const guest = await createGuest(h.db);
		await markLessonRead(h.db, { userId: guest, courseSlug: 'khoa-kiem-thu', lessonSlug: 'bai-doc' }, content);
		return guest;
	}

	const count = async (table: 'quiz_attempt' | 'lesson_progress' | 'completion_record', userId: number) =>
		Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

	/** Settles both; rethrows anything but a quiz that found its guest gone. */
	function outcome(results: PromiseSettledResult<unknown>[]): { quizStored: boolean } {
		const [side, quiz] = results;
		if (side.status === 'rejected') throw side.reason;
		if (quiz.status === 'rejected' && !(quiz.reason instanceof LearnerGoneError)) throw quiz.reason;
		return { quizStored: quiz.status === 'fulfilled' };
	}

	test('logging in as the guest while the guest submits a quiz, many times at once', async () => {
		let stored = 0;
		let gone = 0;
		for (let i = 0; i < ROUNDS; i++) {
			const account = await createAccount();
			const guest = await guestWithProgress();
			const results = await Promise.allSettled([startLoggedInSession(h.db, { accountId: account.id, guestId: guest }), passCourse(guest)]);
			const { quizStored } = outcome(results);
			if (quizStored) stored++;
			else gone++;
			// The guest is gone, everything it did is the account's, and the course was counted exactly once.
			expect(await h.db.selectFrom('app_user').select('id').where('id', '=', guest).executeTakeFirst()).toBeUndefined();
			expect(await count('quiz_attempt', guest)).toBe(0);
			expect(await count('quiz_attempt', account.id)).toBe(quizStored ? 1 : 0);
			expect(await count('lesson_progress', account.id)).toBe(quizStored ? 2 : 1);
			expect(await count('completion_record', account.id)).toBe(quizStored ? 1 : 0);
		}
		expect(stored + gone).toBe(ROUNDS);
	});

	test('the whole login, password check included, against the quiz', async () => {
		for (let i = 0; i < 8; i++) {
			const account = await createAccount();
			const guest = await guestWithProgress();
			const login = loginWithPassword(h.db, { identifier: account.phone, password: PASSWORD, address: '203.0.113.9', guestId: guest });
			// Sent while the password is being checked, so that the two transactions meet at various points.
			await new Promise((r) => setTimeout(r, i * 5));
			const results = await Promise.allSettled([login, passCourse(guest)]);
			const { quizStored } = outcome(results);
			expect((results[0] as PromiseFulfilledResult<{ ok: boolean }>).value.ok).toBe(true);
			expect(await count('completion_record', account.id)).toBe(quizStored ? 1 : 0);
		}
	});

	test('registering as the guest while the guest submits a quiz, many times at once', async () => {
		for (let i = 0; i < ROUNDS; i++) {
			const guest = await guestWithProgress();
			const reg = { fullName: 'Đinh Thị Hoa', phone: nextPhone(), username: null, password: PASSWORD, audience: 'citizen' as const, unitId: null };
			const results = await Promise.allSettled([saveRegistration(h.db, reg, hash, guest), passCourse(guest)]);
			const [registered, quiz] = results;
			if (registered.status === 'rejected') throw registered.reason;
			if (quiz.status === 'rejected') throw quiz.reason;
			expect(registered.value).toMatchObject({ ok: true, userId: guest });
			// Whichever came first, the course finished by the guest has exactly one record, the learner's.
			expect(await count('quiz_attempt', guest)).toBe(1);
			expect(await count('completion_record', guest)).toBe(1);
		}
	});
});
