import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import { answer, findQuestions, newKey, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import type { PublishedContent } from '../../src/lib/server/content';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { searchUnits } from '../../src/lib/server/units/search';
import { checkRegistration, PHONE_TAKEN, registerLearner, type RegistrationForm } from '../../src/lib/server/auth/register';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { createSession, generateSessionToken, invalidateSession, sessionIdOf, validateSessionToken } from '../../src/lib/server/auth/session';
import { createGuestUser, getAccountProfile } from '../../src/lib/server/auth/user';
import { changePassword, deleteAccount } from '../../src/lib/server/auth/account';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import { findLessonProgress, recordLessonOpened } from '../../src/lib/server/learning/progress';

const DAY = 24 * 60 * 60 * 1000;
const ADDRESS = '203.0.113.7';

describe(`accounts (${testDbKind})`, () => {
	let h: DbHandle;
	let content: PublishedContent;
	let vanCanh: number;
	let phoneCounter = 0;

	beforeAll(async () => {
		h = await createTestDatabase();
		await importSeedUnitsIfEmpty(h.db);
		content = await publishFixtureContent(h.db);
		vanCanh = (await searchUnits(h.db, 'van canh', { currentOnly: true }))[0].id;
	});
	afterAll(async () => h?.close());
	beforeEach(async () => {
		await h.db.deleteFrom('login_throttle').execute();
	});

	/** A different valid mobile number on each call. */
	const nextPhone = () => `0912 ${String(100000 + ++phoneCounter).slice(0, 3)} ${String(100000 + phoneCounter).slice(3)}`;

	function form(over: Partial<RegistrationForm> = {}): RegistrationForm {
		return {
			fullName: 'Đinh Thị Hoa',
			phone: nextPhone(),
			username: '',
			password: 'lúa chín vàng đồng',
			passwordRepeat: 'lúa chín vàng đồng',
			audience: 'citizen',
			unitId: String(vanCanh),
			consent: true,
			...over
		};
	}

	async function register(over: Partial<RegistrationForm> = {}, guestId?: number) {
		const check = await checkRegistration(h.db, form(over));
		if (!check.ok) throw new Error(check.message);
		const r = await registerLearner(h.db, check.value, guestId);
		if (!r.ok) throw new Error(r.message);
		return { ...r, phone: check.value.phone };
	}

	/** Gives a user one graded quiz attempt on the fixture course. */
	async function answerQuiz(userId: number) {
		const questions = findQuestions(content, 'khoa-kiem-thu', 'moi-loai-cau-hoi');
		const q = questions.get('t-mot')!;
		await submitQuiz(
			h.db,
			{ userId, courseSlug: 'khoa-kiem-thu', lessonSlug: 'moi-loai-cau-hoi', submissionKey: newKey(), responses: { 't-mot': answer(q, 'Hình cái quạt') } },
			content
		);
	}

	const attemptsOf = async (userId: number) =>
		Number((await h.db.selectFrom('quiz_attempt').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

	test('register -> log in -> session validates -> slides -> log out', async () => {
		const reg = await register({ phone: '+84 987 654 321' });
		expect(reg.phone).toBe('0987654321');
		const profile = await getAccountProfile(h.db, reg.userId);
		expect(profile).toMatchObject({ kind: 'learner', full_name: 'Đinh Thị Hoa', phone: '0987654321', audience: 'citizen', unit_id: vanCanh });
		expect(profile!.consented_at).toBeInstanceOf(Date);
		const stored = await h.db.selectFrom('app_user').select('password_hash').where('id', '=', reg.userId).executeTakeFirstOrThrow();
		expect(stored.password_hash).toMatch(/^\$argon2id\$/);

		// The phone number works in any of its usual spellings.
		const login = await loginWithPassword(h.db, { identifier: '0987.654.321', password: 'lúa chín vàng đồng', address: ADDRESS });
		expect(login.ok).toBe(true);
		if (!login.ok) return;
		expect(login.userId).toBe(reg.userId);
		expect(login.token).toMatch(/^[a-z2-7]{32}$/);
		// Only the hash of the token is stored.
		const row = await h.db.selectFrom('user_session').selectAll().where('user_id', '=', reg.userId).where('id', '=', sessionIdOf(login.token)).executeTakeFirst();
		expect(row).toBeDefined();
		expect(row!.id).toMatch(/^[0-9a-f]{64}$/);
		expect(await h.db.selectFrom('user_session').select('id').where('id', '=', login.token).executeTakeFirst()).toBeUndefined();

		const valid = await validateSessionToken(h.db, login.token);
		expect(valid.user).toEqual({ id: reg.userId, kind: 'learner', fullName: 'Đinh Thị Hoa', audience: 'citizen', unitId: vanCanh, roles: [] });
		expect(valid.renewed).toBe(false);
		expect(valid.session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

		// Less than 15 days left: extended to 30 days again.
		await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() + 10 * DAY) }).where('id', '=', valid.session!.id).execute();
		const slid = await validateSessionToken(h.db, login.token);
		expect(slid.renewed).toBe(true);
		expect(slid.session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
		const after = await h.db.selectFrom('user_session').select('expires_at').where('id', '=', valid.session!.id).executeTakeFirstOrThrow();
		expect(after.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

		// 20 days left: not touched.
		await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() + 20 * DAY) }).where('id', '=', valid.session!.id).execute();
		expect((await validateSessionToken(h.db, login.token)).renewed).toBe(false);

		await invalidateSession(h.db, valid.session!.id);
		expect((await validateSessionToken(h.db, login.token)).session).toBeNull();
	});

	test('an expired session is refused and deleted; garbage tokens are refused', async () => {
		const reg = await register();
		await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', reg.session.id).execute();
		expect(await validateSessionToken(h.db, reg.token)).toEqual({ session: null, user: null, renewed: false });
		expect(await h.db.selectFrom('user_session').select('id').where('id', '=', reg.session.id).executeTakeFirst()).toBeUndefined();
		expect((await validateSessionToken(h.db, 'x')).session).toBeNull();
		expect((await validateSessionToken(h.db, generateSessionToken())).session).toBeNull();
	});

	test('roles come with the user', async () => {
		const reg = await register();
		await h.db.insertInto('user_role').values({ user_id: reg.userId, role: 'admin' }).execute();
		expect((await validateSessionToken(h.db, reg.token)).user!.roles).toEqual([{ role: 'admin', unitId: null }]);
	});

	test("a lesson page reads the user's own progress in that lesson with the session", async () => {
		const reg = await register();
		const other = await register();
		const lessonId = content.ids.lessons.get('khoa-kiem-thu/moi-loai-cau-hoi')!.id;
		const otherLessonId = [...content.ids.lessons.values()].find((l) => l.id !== lessonId)!.id;
		// Not started: no progress, and none asked for: the field is absent.
		expect((await validateSessionToken(h.db, reg.token, { lessonId })).lessonProgress).toBeNull();
		expect(await validateSessionToken(h.db, reg.token)).not.toHaveProperty('lessonProgress');

		await answerQuiz(other.userId);
		// Another learner's attempt is not this one's progress.
		expect((await validateSessionToken(h.db, reg.token, { lessonId })).lessonProgress).toBeNull();
		await answerQuiz(reg.userId);
		const mine = await validateSessionToken(h.db, reg.token, { lessonId });
		expect(mine.user).toMatchObject({ id: reg.userId, kind: 'learner' });
		expect(mine.lessonProgress).toEqual({ read: true, passed: false, bestScore: expect.any(Number) });
		expect(mine.lessonProgress).toEqual(await findLessonProgress(h.db, reg.userId, 'khoa-kiem-thu', 'moi-loai-cau-hoi'));
		expect((await validateSessionToken(h.db, reg.token, { lessonId: otherLessonId })).lessonProgress).toBeNull();
		// An expired session gives nothing, progress included.
		await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', reg.session.id).execute();
		expect(await validateSessionToken(h.db, reg.token, { lessonId })).toEqual({ session: null, user: null, renewed: false });
	});

	test('the session check on a lesson page says whether the learner opened it before, so that it is counted once', async () => {
		const reg = await register();
		const other = await register();
		const lessonId = content.ids.lessons.get('khoa-kiem-thu/moi-loai-cau-hoi')!.id;
		const openings = () =>
			h.db.selectFrom('analytics_lesson_day').select((eb) => eb.fn.sum<number>('started').as('n')).where('lesson_id', '=', lessonId).executeTakeFirst();
		const before = Number((await openings())?.n ?? 0);
		expect((await validateSessionToken(h.db, reg.token, { lessonId })).lessonOpened).toBe(false);
		expect(await validateSessionToken(h.db, reg.token)).not.toHaveProperty('lessonOpened');
		await recordLessonOpened(h.db, other.userId, 'khoa-kiem-thu', 'moi-loai-cau-hoi', content);
		// Another learner's opening is not this one's.
		expect((await validateSessionToken(h.db, reg.token, { lessonId })).lessonOpened).toBe(false);
		await recordLessonOpened(h.db, reg.userId, 'khoa-kiem-thu', 'moi-loai-cau-hoi', content);
		expect((await validateSessionToken(h.db, reg.token, { lessonId })).lessonOpened).toBe(true);
		expect(Number((await openings())?.n ?? 0)).toBe(before + 2);
	});

	test('username accounts log in by username, case-insensitively', async () => {
		const reg = await register({ phone: '', username: 'Hoa.Dinh' });
		expect(reg.phone).toBeNull();
		const r = await loginWithPassword(h.db, { identifier: 'hoa.dinh', password: 'lúa chín vàng đồng', address: ADDRESS });
		expect(r.ok && r.userId).toBe(reg.userId);
	});

	test('registration refuses what it must, with a message saying what to do', async () => {
		const check = (over: Partial<RegistrationForm>) => checkRegistration(h.db, form(over));
		expect(await check({ fullName: ' ' })).toMatchObject({ ok: false, field: 'fullName' });
		expect(await check({ phone: '', username: '' })).toMatchObject({ ok: false, field: 'phone' });
		expect(await check({ phone: '12345' })).toMatchObject({ ok: false, field: 'phone', message: expect.stringContaining('10 chữ số') });
		expect(await check({ password: 'ngan', passwordRepeat: 'ngan' })).toMatchObject({ ok: false, field: 'password', message: 'Mật khẩu cần có ít nhất 8 ký tự.' });
		expect(await check({ passwordRepeat: 'khác hẳn nhau' })).toMatchObject({ ok: false, field: 'passwordRepeat' });
		expect(await check({ audience: 'boss' })).toMatchObject({ ok: false, field: 'audience' });
		expect(await check({ audience: 'civil_servant', unitId: '' })).toMatchObject({ ok: false, field: 'unitId' });
		expect(await check({ audience: 'citizen', unitId: '' })).toMatchObject({ ok: true });
		const former = (await searchUnits(h.db, 'huyen van canh'))[0];
		expect(former.current).toBe(false);
		expect(await check({ unitId: String(former.id) })).toMatchObject({ ok: false, field: 'unitId' });
		expect(await check({ consent: false })).toMatchObject({ ok: false, field: 'consent', message: expect.stringContaining('đồng ý') });

		const taken = await register();
		// The owner is pointed to logging in; a stranger is not told outright that the number has an account.
		expect(await check({ phone: taken.phone! })).toEqual({ ok: false, field: 'phone', message: PHONE_TAKEN });
		expect(PHONE_TAKEN).not.toMatch(/đã có tài khoản|đã được đăng ký|đã tồn tại/);
	});

	test('a phone number registered twice at the same moment: one account, the other gets a message', async () => {
		const phone = nextPhone();
		const checks = await Promise.all([checkRegistration(h.db, form({ phone })), checkRegistration(h.db, form({ phone }))]);
		const results = await Promise.all(checks.map((c) => (c.ok ? registerLearner(h.db, c.value) : Promise.resolve(c))));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toMatchObject({ field: 'phone' });
	});

	test('registering as a guest upgrades the same user row and keeps its progress', async () => {
		const guest = await createGuestUser(h.db);
		const guestToken = generateSessionToken();
		await createSession(h.db, guestToken, guest.id);
		await answerQuiz(guest.id);
		expect(await attemptsOf(guest.id)).toBe(1);

		const reg = await register({}, guest.id);
		expect(reg.userId).toBe(guest.id);
		expect(await attemptsOf(guest.id)).toBe(1);
		expect((await getAccountProfile(h.db, guest.id))!.kind).toBe('learner');
		// The guest's session ended; the new one is the learner's.
		expect((await validateSessionToken(h.db, guestToken)).session).toBeNull();
		expect((await validateSessionToken(h.db, reg.token)).user).toMatchObject({ id: guest.id, kind: 'learner' });
	});

	test('logging in as a guest moves the guest progress to the account and removes the guest', async () => {
		const reg = await register();
		const guest = await createGuestUser(h.db);
		await createSession(h.db, generateSessionToken(), guest.id);
		await answerQuiz(guest.id);

		const r = await loginWithPassword(h.db, { identifier: reg.phone!, password: 'lúa chín vàng đồng', address: ADDRESS, guestId: guest.id });
		expect(r.ok && r.userId).toBe(reg.userId);
		expect(await attemptsOf(reg.userId)).toBe(1);
		expect(await h.db.selectFrom('app_user').select('id').where('id', '=', guest.id).executeTakeFirst()).toBeUndefined();
		expect(await h.db.selectFrom('user_session').select('id').where('user_id', '=', guest.id).executeTakeFirst()).toBeUndefined();
	});

	test('changing the password needs the current one and ends the other sessions', async () => {
		const reg = await register();
		const other = await loginWithPassword(h.db, { identifier: reg.phone!, password: 'lúa chín vàng đồng', address: ADDRESS });
		expect(other.ok).toBe(true);
		const input = { userId: reg.userId, sessionId: reg.session.id };
		expect(await changePassword(h.db, { ...input, current: 'không phải', password: 'mây trắng bay xa', passwordRepeat: 'mây trắng bay xa' })).toMatchObject({
			ok: false,
			field: 'current_password'
		});
		expect(await changePassword(h.db, { ...input, current: 'lúa chín vàng đồng', password: 'ngắn', passwordRepeat: 'ngắn' })).toMatchObject({
			ok: false,
			field: 'password'
		});
		expect(await changePassword(h.db, { ...input, current: 'lúa chín vàng đồng', password: 'mây trắng bay xa', passwordRepeat: 'mây trắng bay xa' })).toEqual({ ok: true });
		expect((await validateSessionToken(h.db, reg.token)).session).not.toBeNull();
		expect((await validateSessionToken(h.db, other.ok ? other.token : '')).session).toBeNull();
		expect((await loginWithPassword(h.db, { identifier: reg.phone!, password: 'lúa chín vàng đồng', address: ADDRESS })).ok).toBe(false);
		expect((await loginWithPassword(h.db, { identifier: reg.phone!, password: 'mây trắng bay xa', address: ADDRESS })).ok).toBe(true);
	});

	test('deleting an account removes the identity and keeps the anonymous learning records', async () => {
		const reg = await register({ username: 'xoa.toi' });
		await answerQuiz(reg.userId);
		expect(await deleteAccount(h.db, { userId: reg.userId, password: 'sai rồi nhé' })).toMatchObject({ ok: false });
		expect(await deleteAccount(h.db, { userId: reg.userId, password: 'lúa chín vàng đồng' })).toEqual({ ok: true });

		const row = await h.db.selectFrom('app_user').selectAll().where('id', '=', reg.userId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ full_name: null, phone: null, username: null, password_hash: null, audience: 'citizen', unit_id: vanCanh });
		expect(row.deleted_at).toBeInstanceOf(Date);
		expect(await h.db.selectFrom('user_session').select('id').where('user_id', '=', reg.userId).execute()).toEqual([]);
		expect((await validateSessionToken(h.db, reg.token)).session).toBeNull();
		expect(await attemptsOf(reg.userId)).toBe(1);
		expect(await getAccountProfile(h.db, reg.userId)).toBeUndefined();
		expect((await loginWithPassword(h.db, { identifier: reg.phone!, password: 'lúa chín vàng đồng', address: ADDRESS })).ok).toBe(false);
		// The phone number and username are free again.
		const again = await register({ phone: reg.phone!, username: 'xoa.toi' });
		expect(again.userId).not.toBe(reg.userId);
	});
});
