import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import type { Cookies } from '@sveltejs/kit';
import { hash } from '@node-rs/argon2';
import { createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { checkRegistration, registerLearner, tooManyRegistrationsMessage, type RegistrationForm } from '../../src/lib/server/auth/register';
import { loginWithPassword, WRONG_LOGIN_MESSAGE } from '../../src/lib/server/auth/login';
import { readDeviceCookie, rememberOnDevice, writeDeviceCookie, type DeviceEntry } from '../../src/lib/server/auth/device';
import { THROTTLE, tooManyTriesMessage } from '../../src/lib/server/auth/throttle';
import { changePassword } from '../../src/lib/server/auth/account';

const PASSWORD = 'hòa bình khỏe mạnh';
const ADDRESS = '203.0.113.7';
const ELSEWHERE = '198.51.100.9';

/** A refusal saying to wait `seconds`, less the few seconds a busy machine may take between the two steps. */
function expectSlowed(r: { ok: boolean; message?: string }, seconds: number) {
	expect(r.ok).toBe(false);
	const allowed = Array.from({ length: 10 }, (_, i) => tooManyTriesMessage(seconds - i));
	expect(allowed).toContain(r.message);
}

describe(`login throttling (${testDbKind})`, () => {
	let h: DbHandle;
	let counter = 0;

	beforeAll(async () => {
		h = await createTestDatabase();
	});
	afterAll(async () => h?.close());
	beforeEach(async () => {
		await h.db.deleteFrom('login_throttle').execute();
	});

	const nextPhone = () => `0987${String(100000 + ++counter).slice(0, 6)}`;
	function form(over: Partial<RegistrationForm> = {}): RegistrationForm {
		return { fullName: 'Lê Thị Hoà', phone: nextPhone(), username: '', password: PASSWORD, passwordRepeat: PASSWORD, audience: 'citizen', unitId: '', consent: true, ...over };
	}
	async function register(over: Partial<RegistrationForm> = {}) {
		const check = await checkRegistration(h.db, form(over));
		if (!check.ok) throw new Error(check.message);
		const r = await registerLearner(h.db, check.value);
		if (!r.ok) throw new Error(r.message);
		return { userId: r.userId, phone: check.value.phone! };
	}
	const login = (identifier: string, password: string, opts: { address?: string; device?: DeviceEntry[] } = {}) =>
		loginWithPassword(h.db, { identifier, password, address: opts.address ?? ADDRESS, device: opts.device });
	/** Moves every throttle's last try back in time, as if the person waited. */
	const wait = (seconds: number) => sql`update login_throttle set last_at = last_at - make_interval(secs => ${seconds})`.execute(h.db);
	/** A device where the person logged in before, as the signed cookie gives it back. */
	const deviceOf = (userId: number) => rememberOnDevice([], userId);

	test('failures from unknown devices slow the account down progressively, never lock it', async () => {
		const { phone } = await register();
		for (let i = 0; i < THROTTLE.account.free; i++) expect(await login(phone, 'sai mật khẩu')).toEqual({ ok: false, message: WRONG_LOGIN_MESSAGE });
		// Sixth try: wait 30 s, even with the right password (it is not checked).
		expectSlowed(await login(phone, PASSWORD), 30);
		await wait(31);
		expect(await login(phone, 'sai mật khẩu')).toEqual({ ok: false, message: WRONG_LOGIN_MESSAGE });
		// Then 60 s, 2 minutes ...: the wait doubles but never exceeds 15 minutes.
		expectSlowed(await login(phone, PASSWORD), 60);
		for (let i = 0; i < 10; i++) {
			await wait(15 * 60 + 1);
			expect(await login(phone, 'sai mật khẩu')).toEqual({ ok: false, message: WRONG_LOGIN_MESSAGE });
		}
		const slowed = await login(phone, PASSWORD);
		expectSlowed(slowed, 15 * 60);
		expect(tooManyTriesMessage(15 * 60)).toContain('15 phút');
		// After the wait the owner gets in, and the count starts afresh.
		await wait(15 * 60 + 1);
		expect((await login(phone, PASSWORD)).ok).toBe(true);
		expect(await h.db.selectFrom('login_throttle').select('key').where('key', '=', `account:${phone}`).executeTakeFirst()).toBeUndefined();
	});

	test("the owner's own device is not slowed by a stranger's failures elsewhere", async () => {
		const { userId, phone } = await register();
		for (let i = 0; i < 20; i++) await login(phone, `đoán ${i}`, { address: ELSEWHERE });
		expect(await login(phone, PASSWORD, { address: ELSEWHERE })).toMatchObject({ ok: false, message: expect.stringContaining('Đã thử sai nhiều lần') });
		// Same account, the owner's phone: in at once (from the very address the stranger used, too).
		expect((await login(phone, PASSWORD, { device: deviceOf(userId) })).ok).toBe(true);
		expect((await login(phone, PASSWORD, { address: ELSEWHERE, device: deviceOf(userId) })).ok).toBe(true);
		// A device cookie of someone else counts for nothing: this is an unknown device for this account.
		const other = await register();
		expect((await login(phone, PASSWORD, { device: deviceOf(other.userId) })).ok).toBe(false);
	});

	test('failures on a known device are counted for that device only', async () => {
		const { userId, phone } = await register();
		const device = deviceOf(userId);
		for (let i = 0; i < THROTTLE.device.free; i++) expect(await login(phone, 'sai', { device })).toEqual({ ok: false, message: WRONG_LOGIN_MESSAGE });
		expectSlowed(await login(phone, PASSWORD, { device }), 30);
		// The account itself, from an unknown device, has its own allowance.
		expect((await login(phone, PASSWORD)).ok).toBe(true);
	});

	test("the address limit slows unknown devices only: other people's logins from known devices pass", async () => {
		const people = [await register(), await register()];
		for (let i = 0; i < THROTTLE.address.free; i++) await login(`0977${String(100000 + i)}`, 'đoán bừa');
		const refused = await login(people[0].phone, PASSWORD);
		expectSlowed(refused, 30);
		for (const p of people) expect((await login(p.phone, PASSWORD, { device: deviceOf(p.userId) })).ok).toBe(true);
		// Another address is not affected at all.
		expect((await login(people[1].phone, PASSWORD, { address: ELSEWHERE })).ok).toBe(true);
		// A correct login does not add to the address's count.
		const row = await h.db.selectFrom('login_throttle').select('attempts').where('key', '=', `address:${ELSEWHERE}`).executeTakeFirstOrThrow();
		expect(row.attempts).toBe(0);
	});

	test('concurrent wrong passwords cannot get more checks than the limit', async () => {
		const { userId, phone } = await register();
		const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(phone, `sai song song ${i}`)));
		expect(results.filter((r) => !r.ok && r.message === WRONG_LOGIN_MESSAGE)).toHaveLength(THROTTLE.account.free);
		expect(results.filter((r) => !r.ok && r.message.startsWith('Đã thử sai nhiều lần'))).toHaveLength(20 - THROTTLE.account.free);
		const row = await h.db.selectFrom('login_throttle').select('attempts').where('key', '=', `account:${phone}`).executeTakeFirstOrThrow();
		expect(row.attempts).toBe(THROTTLE.account.free);

		// The same on a known device.
		const device = deviceOf(userId);
		const onDevice = await Promise.all(Array.from({ length: 12 }, (_, i) => login(phone, `sai ${i}`, { device })));
		expect(onDevice.filter((r) => !r.ok && r.message === WRONG_LOGIN_MESSAGE)).toHaveLength(THROTTLE.device.free);
	});

	test('the password confirmation of a logged-in person is slowed down as well', async () => {
		const { userId } = await register();
		const input = { userId, sessionId: 'x', password: 'mới đẹp hơn nhiều', passwordRepeat: 'mới đẹp hơn nhiều' };
		const tries = await Promise.all(Array.from({ length: 8 }, () => changePassword(h.db, { ...input, current: 'sai rồi' })));
		expect(tries.filter((r) => !r.ok && r.field === 'current_password' && r.message.startsWith('Mật khẩu hiện tại'))).toHaveLength(5);
		expect(await changePassword(h.db, { ...input, current: PASSWORD })).toMatchObject({ ok: false, message: expect.stringContaining('Đã thử sai nhiều lần') });
	});

	test('registration is limited per address, and a taken number is not named', async () => {
		const key = `register:${ADDRESS}`;
		const policy = THROTTLE.register;
		const taken = await register();
		const r = await checkRegistration(h.db, form({ phone: taken.phone }), { key, policy });
		expect(r).toMatchObject({ ok: false, field: 'phone' });
		expect(r.ok ? '' : r.message).not.toContain(taken.phone);
		for (let i = 1; i < policy.free; i++) expect((await checkRegistration(h.db, form(), { key, policy })).ok).toBe(true);
		// Form mistakes do not use up the allowance; well-formed forms beyond it wait an hour.
		expect(await checkRegistration(h.db, form({ phone: '123' }), { key, policy })).toMatchObject({ field: 'phone', message: expect.stringContaining('10 chữ số') });
		expect(await checkRegistration(h.db, form(), { key, policy })).toEqual({ ok: false, field: 'phone', message: tooManyRegistrationsMessage(3600) });
		expect(tooManyRegistrationsMessage(3600)).toContain('60 phút');
		expect((await checkRegistration(h.db, form(), { key: `register:${ELSEWHERE}`, policy })).ok).toBe(true);
		// A team member registering villagers has a larger allowance of their own.
		const helper = { key: 'register-helper:1', policy: THROTTLE.registerHelper };
		for (let i = 0; i < policy.free + 5; i++) expect((await checkRegistration(h.db, form(), helper)).ok).toBe(true);
	});

	test('a passphrase logs in whichever tone placement or encoding is typed', async () => {
		const { phone } = await register({ password: 'hòa bình thủy khỏe', passwordRepeat: 'hòa bình thủy khỏe' });
		for (const typed of ['hòa bình thủy khỏe', 'hoà bình thuỷ khoẻ', 'hoà bình thủy khỏe', 'hòa bình thủy khỏe'.normalize('NFD')]) {
			expect((await login(phone, typed)).ok, typed).toBe(true);
		}
		expect((await login(phone, 'hoa binh thuy khoe')).ok).toBe(false);
	});

	test('a hash saved before normalisation is rehashed at the next successful login', async () => {
		const { userId, phone } = await register();
		// As the app stored passwords before: the typed text in NFC, older tone placement.
		const legacy = await hash('thủy chung như nhất'.normalize('NFC'));
		await h.db.updateTable('app_user').set({ password_hash: legacy, password_version: 0 }).where('id', '=', userId).execute();
		expect((await login(phone, 'thuỷ chung như nhất')).ok).toBe(true);
		const row = await h.db.selectFrom('app_user').select(['password_hash', 'password_version']).where('id', '=', userId).executeTakeFirstOrThrow();
		expect(row.password_version).toBe(1);
		expect(row.password_hash).not.toBe(legacy);
		expect((await login(phone, 'thủy chung như nhất'.normalize('NFD'))).ok).toBe(true);
		expect((await login(phone, 'thuy chung nhu nhat')).ok).toBe(false);
	});

	test('a device cookie is only believed with its signature', async () => {
		const entries = rememberOnDevice(rememberOnDevice([], 7), 8);
		expect(entries.map((e) => e.userId)).toEqual([8, 7]);
		let value = '';
		const cookies = { set: (_name: string, v: string) => (value = v), delete: () => (value = '') } as unknown as Cookies;
		await writeDeviceCookie(h.db, { cookies, url: new URL('http://127.0.0.1/') }, entries);
		expect(await readDeviceCookie(h.db, value)).toEqual(entries);
		const [eight, seven] = value.split('~');
		// Another user id under the same signature, or a changed signature: dropped; the genuine entry is kept.
		const forged = eight.replace(/^8\./, '9.');
		const badSig = seven.slice(0, -2) + (seven.endsWith('AA') ? 'BB' : 'AA');
		expect(await readDeviceCookie(h.db, `${forged}~${seven}`)).toEqual([entries[1]]);
		expect(await readDeviceCookie(h.db, `${eight}~${badSig}`)).toEqual([entries[0]]);
		expect(await readDeviceCookie(h.db, 'garbage')).toEqual([]);
	});
});
