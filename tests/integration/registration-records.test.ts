import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, createGuest, createUnit, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { registerLearner, type Registration } from '../../src/lib/server/auth/register';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { listCourseProgress, markLessonRead } from '../../src/lib/server/learning/progress';

const K = 'khoa-kiem-thu';
const ONE = 'khoa-mot-bai';
const PASSWORD = 'lúa chín vàng đồng';

describe(`a guest who completed a course and registers (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let phoneCounter = 0;

	beforeAll(async () => {
		h = await createTestDatabase();
		content = await publishFixtureContent(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	const registration = (unitId: number | null, over: Partial<Registration> = {}): Registration => ({
		fullName: 'Y Phương',
		phone: `0913${String(100000 + ++phoneCounter).slice(0, 6)}`,
		username: null,
		password: PASSWORD,
		audience: 'civil_servant',
		unitId,
		...over
	});
	const passOne = (userId: number) => {
		const q = findQuestions(content, ONE, 'bai-duy-nhat');
		return submitQuiz(
			h.db,
			{ userId, courseSlug: ONE, lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': answer(q.get('m-1')!, 'true') } },
			content
		);
	};
	const recordsOf = (userId: number) =>
		h.db.selectFrom('completion_record').select(['id', 'course_id', 'unit_id', 'audience', 'user_id']).where('user_id', '=', userId).execute();

	test('registering issues exactly one record, with the unit chosen at registration, in the registration itself', async () => {
		const unitId = await createUnit(h.db, 'Canh Thuận');
		const guest = await createGuest(h.db);
		const quiz = await passOne(guest);
		expect(quiz.record).toBeUndefined();
		expect((await listCourseProgress(h.db, guest)).get(ONE)?.completed).toBe(true);
		expect(await recordsOf(guest)).toEqual([]);

		const reg = await registerLearner(h.db, registration(unitId), guest);
		expect(reg).toMatchObject({ ok: true, userId: guest });
		// No page needs to be loaded: the record exists as soon as registration returns.
		const recs = await recordsOf(guest);
		expect(recs).toEqual([{ id: expect.any(Number), course_id: content.ids.courses.get(ONE)!.id, unit_id: unitId, audience: 'civil_servant', user_id: guest }]);
		expect((await listCourseProgress(h.db, guest)).get(ONE)?.record).toMatchObject({ revoked: false });

		// Anything done afterwards in the course adds nothing.
		const again = await passOne(guest);
		expect(again.record?.id).toBe(recs[0].id);
		expect(await recordsOf(guest)).toHaveLength(1);
	});

	test('an unfinished course gets no record; finishing it after registering gets one', async () => {
		const unitId = await createUnit(h.db, 'Canh Vinh');
		const guest = await createGuest(h.db);
		await markLessonRead(h.db, { userId: guest, courseSlug: K, lessonSlug: 'bai-doc' }, content);
		const reg = await registerLearner(h.db, registration(unitId), guest);
		expect(reg.ok).toBe(true);
		expect(await recordsOf(guest)).toEqual([]);
		expect((await listCourseProgress(h.db, guest)).get(K)).toMatchObject({ done: 1, completed: false, record: null });
		const done = await passOne(guest);
		expect(done.record).toMatchObject({ unitId });
		expect(await recordsOf(guest)).toHaveLength(1);
	});

	test('registering and then logging in from another guest session never makes a second record', async () => {
		const unitId = await createUnit(h.db, 'Canh Hiệp');
		const guest = await createGuest(h.db);
		await passOne(guest);
		const reg = registration(unitId);
		expect((await registerLearner(h.db, reg, guest)).ok).toBe(true);
		// On another phone, as a guest, the same course is completed again, then the person logs in.
		const other = await createGuest(h.db);
		await passOne(other);
		const login = await loginWithPassword(h.db, { identifier: reg.phone!, password: PASSWORD, address: '203.0.113.9', guestId: other });
		expect(login).toMatchObject({ ok: true, userId: guest });
		const recs = await recordsOf(guest);
		expect(recs).toHaveLength(1);
		expect(recs[0].unit_id).toBe(unitId);
		expect(await recordsOf(other)).toEqual([]);
	});

	test('a quiz that completes the course while the guest registers: one record either way', async () => {
		for (let i = 0; i < 4; i++) {
			const unitId = await createUnit(h.db, `Canh Hòa ${i}`);
			const guest = await createGuest(h.db);
			const [, reg] = await Promise.all([passOne(guest), registerLearner(h.db, registration(unitId), guest)]);
			expect(reg.ok).toBe(true);
			const recs = await recordsOf(guest);
			expect(recs).toHaveLength(1);
			expect(recs[0].unit_id).toBe(unitId);
		}
	});

	test('a registration that fails (phone taken) issues nothing', async () => {
		const unitId = await createUnit(h.db, 'Canh Liên');
		const taken = registration(unitId);
		expect((await registerLearner(h.db, taken, await createGuest(h.db))).ok).toBe(true);
		const guest = await createGuest(h.db);
		await passOne(guest);
		const r = await registerLearner(h.db, { ...taken, fullName: 'Người khác' }, guest);
		expect(r).toMatchObject({ ok: false, field: 'phone' });
		expect(await recordsOf(guest)).toEqual([]);
		const row = await h.db.selectFrom('app_user').select('kind').where('id', '=', guest).executeTakeFirstOrThrow();
		expect(row.kind).toBe('guest');
	});
});
