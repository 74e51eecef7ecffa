import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { searchUnits } from '../../src/lib/server/units/search';
import { addLeafToScope } from '../../src/lib/server/units/scope';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { rememberOnDevice } from '../../src/lib/server/auth/device';
import { THROTTLE, tooManyTriesMessage } from '../../src/lib/server/auth/throttle';
import { registerVillager } from '../../src/lib/server/teams/assisted';
import { ASSISTED_CONSENT } from '../../src/lib/server/teams/consent';
import { findActiveCard, issueLoginCard, loginWithCard, WRONG_PIN_MESSAGE } from '../../src/lib/server/teams/cards';
import { findResetCode, issueResetCode, redeemResetCode, RESET_CODE_UNKNOWN } from '../../src/lib/server/teams/reset';
import { findVillagerInScope, listVillagers, summarize } from '../../src/lib/server/teams/team-view';
import { listPhonePeople } from '../../src/lib/server/teams/session-switch';
import { formatCode } from '../../src/lib/server/teams/codes';

const ADDRESS = '203.0.113.50';

/** A refusal saying to wait `seconds`, less the few seconds a busy machine may take between the two steps. */
function expectSlowed(r: { ok: boolean; message?: string }, seconds: number) {
	expect(r.ok).toBe(false);
	const allowed = Array.from({ length: 10 }, (_, i) => tooManyTriesMessage(seconds - i));
	expect(allowed).toContain(r.message);
}

describe(`community team support (${testDbKind})`, () => {
	let h: DbHandle;
	let commune: number;
	let hamletA: number;
	let hamletB: number;
	let helper: number;
	let n = 0;

	async function addHamlet(name: string): Promise<number> {
		return h.db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('unit')
				.values({ code: `T${Date.now()}${++n}`, name, level: 'hamlet', type: 'thôn', parent_id: commune, search_key: ` thon ${name.toLowerCase()}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, commune);
			return id;
		});
	}

	beforeAll(async () => {
		h = await createTestDatabase();
		await importSeedUnitsIfEmpty(h.db);
		commune = (await searchUnits(h.db, 'van canh', { currentOnly: true }))[0].id;
		hamletA = await addHamlet('Làng Hà Văn');
		hamletB = await addHamlet('Làng Kà Bưng');
		helper = (
			await h.db.insertInto('app_user').values({ kind: 'learner', full_name: 'Đinh Văn Tổ', audience: 'team_member', unit_id: hamletA }).returning('id').executeTakeFirstOrThrow()
		).id;
	});
	afterAll(async () => h?.close());
	beforeEach(async () => {
		await h.db.deleteFrom('login_throttle').execute();
	});

	const villager = (over: Partial<Parameters<typeof registerVillager>[1]> = {}) =>
		registerVillager(h.db, { fullName: `Đinh Thị Người ${++n}`, birthYear: '1961', phone: '', consent: true, confirmNew: false, unitId: hamletA, helperUserId: helper, ...over });
	async function newVillager(over: Partial<Parameters<typeof registerVillager>[1]> = {}): Promise<number> {
		const r = await villager(over);
		if (!r.ok) throw new Error(JSON.stringify(r));
		return r.userId;
	}
	const card = (userId: number, unitId = hamletA) => h.db.transaction().execute((trx) => issueLoginCard(trx, { userId, actorUserId: helper, unitId }));
	const resetCode = (userId: number) => h.db.transaction().execute((trx) => issueResetCode(trx, { userId, actorUserId: helper, unitId: hamletA }));
	const audits = (action: string, targetUserId: number) =>
		h.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_user_id', '=', targetUserId).execute();

	test('assisted registration records the consent, its text version, the helper and the time, and is audited', async () => {
		const before = new Date(Date.now() - 1000);
		const id = await newVillager({ fullName: '  Hồ   Thị Lúa ', birthYear: '1958', phone: '0912 777 001' });
		const user = await h.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(user).toMatchObject({ full_name: 'Hồ Thị Lúa', birth_year: 1958, phone: '0912777001', unit_id: hamletA, registered_by: helper, audience: 'citizen', password_hash: null });
		const consent = await h.db.selectFrom('consent_record').selectAll().where('user_id', '=', id).execute();
		expect(consent).toHaveLength(1);
		expect(consent[0]).toMatchObject({ helper_user_id: helper, text_version: ASSISTED_CONSENT.version });
		expect(consent[0].agreed_at.getTime()).toBeGreaterThan(before.getTime());
		const audit = await audits('account.assisted_register', id);
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_user_id: helper, unit_id: hamletA });

		// Without consent nothing is created.
		const count = async () => Number((await h.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		const total = await count();
		expect(await villager({ consent: false })).toMatchObject({ ok: false, field: 'consent' });
		expect(await villager({ birthYear: '62' })).toMatchObject({ ok: false, field: 'birthYear' });
		expect(await count()).toBe(total);
	});

	test('likely duplicates (same name, year of birth and hamlet) are shown before creating', async () => {
		const first = await newVillager({ fullName: 'Nguyễn Văn Bảy', birthYear: '1970' });
		const again = await villager({ fullName: 'nguyen van  bay', birthYear: '1970' });
		expect(again).toMatchObject({ ok: false, duplicates: [{ id: first, fullName: 'Nguyễn Văn Bảy', birthYear: 1970 }] });
		// Another year or another hamlet is not a duplicate; a confirmed namesake is created.
		expect((await villager({ fullName: 'Nguyễn Văn Bảy', birthYear: '1971' })).ok).toBe(true);
		expect((await villager({ fullName: 'Nguyễn Văn Bảy', birthYear: '1970', unitId: hamletB })).ok).toBe(true);
		expect((await villager({ fullName: 'Nguyễn Văn Bảy', birthYear: '1970', confirmNew: true })).ok).toBe(true);
	});

	test('a team member has a larger registration allowance of their own, counted before creating', async () => {
		await h.db.insertInto('login_throttle').values({ key: `register-helper:${helper}`, attempts: THROTTLE.registerHelper.free, last_at: new Date() }).execute();
		expect(await villager()).toMatchObject({ ok: false, field: 'fullName', message: expect.stringContaining('60 phút') });
	});

	test('a login card logs in with its PIN; a new card stops the old one', async () => {
		const id = await newVillager();
		const old = await card(id);
		expect(old.pin).toMatch(/^\d{6}$/);
		expect(await loginWithCard(h.db, { code: formatCode(old.code).toLowerCase(), pin: '000000' === old.pin ? '111111' : '000000', address: ADDRESS })).toEqual({
			ok: false,
			message: WRONG_PIN_MESSAGE
		});
		expect(await loginWithCard(h.db, { code: old.code, pin: old.pin, address: ADDRESS })).toMatchObject({ ok: true, userId: id });
		const fresh = await card(id);
		expect(fresh.code).not.toBe(old.code);
		expect(await findActiveCard(h.db, old.code)).toBeUndefined();
		expect(await loginWithCard(h.db, { code: old.code, pin: old.pin, address: ADDRESS })).toEqual({ ok: false, message: WRONG_PIN_MESSAGE });
		expect(await loginWithCard(h.db, { code: fresh.code, pin: fresh.pin, address: ADDRESS })).toMatchObject({ ok: true, userId: id });
		expect(await audits('card.issue', id)).toHaveLength(2);
	});

	test('PIN guessing is limited per card, even when concurrent; the owner\'s phone is not slowed', async () => {
		const id = await newVillager();
		const c = await card(id);
		const wrong = c.pin === '123456' ? '654321' : '123456';
		const results = await Promise.all(Array.from({ length: 15 }, (_, i) => loginWithCard(h.db, { code: c.code, pin: wrong, address: `198.51.100.${i}` })));
		expect(results.filter((r) => !r.ok && r.message === WRONG_PIN_MESSAGE)).toHaveLength(THROTTLE.card.free);
		expectSlowed(await loginWithCard(h.db, { code: c.code, pin: c.pin, address: ADDRESS }), 30);
		expect((await loginWithCard(h.db, { code: c.code, pin: c.pin, address: ADDRESS, device: rememberOnDevice([], id) })).ok).toBe(true);
	});

	test('a reset code sets a new password once, ends every session, and is audited', async () => {
		const id = await newVillager({ phone: '0912 777 002' });
		await h.db.updateTable('app_user').set({ password_hash: 'x', password_version: 1 }).where('id', '=', id).execute();
		const tokens = [generateSessionToken(), generateSessionToken()];
		for (const t of tokens) await createSession(h.db, t, id);
		const first = await resetCode(id);
		const { code } = await resetCode(id);
		// A newer code replaces the older one.
		expect(await findResetCode(h.db, first.code)).toBeUndefined();
		expect(await findResetCode(h.db, formatCode(code).toLowerCase())).toMatchObject({ user_id: id, setsPin: false });

		const redeem = (secret: string, c = code) => redeemResetCode(h.db, { code: c, secret, secretRepeat: secret, address: ADDRESS });
		expect(await redeem('ngắn')).toMatchObject({ ok: false, field: 'password' });
		const results = await Promise.all([redeem('trăng rằm mười lăm'), redeem('trăng rằm mười sáu')]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toMatchObject({ message: RESET_CODE_UNKNOWN });
		const winner = results.find((r) => r.ok)!;
		const newPassword = results[0].ok ? 'trăng rằm mười lăm' : 'trăng rằm mười sáu';
		for (const t of tokens) expect((await validateSessionToken(h.db, t)).session).toBeNull();
		expect(winner.ok && (await validateSessionToken(h.db, winner.token)).session).toBeTruthy();
		expect((await loginWithPassword(h.db, { identifier: '0912777002', password: newPassword, address: ADDRESS })).ok).toBe(true);
		expect(await redeem('trăng rằm mười bảy')).toMatchObject({ ok: false, message: RESET_CODE_UNKNOWN });

		expect(await audits('password.reset_code', id)).toHaveLength(2);
		expect((await audits('password.reset_code', id))[0]).toMatchObject({ actor_user_id: helper, unit_id: hamletA });
		expect(await audits('password.reset_used', id)).toHaveLength(1);
	});

	test('a reset code gives a card holder a new PIN; an expired code does nothing', async () => {
		const id = await newVillager();
		const c = await card(id);
		const { code } = await resetCode(id);
		expect(await redeemResetCode(h.db, { code, secret: 'mật khẩu dài', secretRepeat: 'mật khẩu dài', address: ADDRESS })).toMatchObject({ ok: false, field: 'password' });
		const pin = c.pin === '246810' ? '135790' : '246810';
		expect((await redeemResetCode(h.db, { code, secret: pin, secretRepeat: pin, address: ADDRESS })).ok).toBe(true);
		expect((await loginWithCard(h.db, { code: c.code, pin: c.pin, address: ADDRESS })).ok).toBe(false);
		expect((await loginWithCard(h.db, { code: c.code, pin, address: ADDRESS })).ok).toBe(true);

		const expired = await resetCode(id);
		await sql`update password_reset_code set expires_at = now() - interval '1 minute' where user_id = ${id} and used_at is null`.execute(h.db);
		expect(await redeemResetCode(h.db, { code: expired.code, secret: '112233', secretRepeat: '112233', address: ADDRESS })).toMatchObject({ ok: false, message: RESET_CODE_UNKNOWN });
	});

	test('a team member sees only the people of their hamlet; the commune sees all its hamlets', async () => {
		const inA = await newVillager({ fullName: 'Người Làng A' });
		const inB = await newVillager({ fullName: 'Người Làng B', unitId: hamletB });
		const a = await listVillagers(h.db, hamletA);
		expect(a.map((v) => v.id)).toContain(inA);
		expect(a.map((v) => v.id)).not.toContain(inB);
		expect(await findVillagerInScope(h.db, hamletA, inB)).toBeUndefined();
		expect(await findVillagerInScope(h.db, hamletA, inA)).toMatchObject({ id: inA });
		const all = (await listVillagers(h.db, commune)).map((v) => v.id);
		expect(all).toEqual(expect.arrayContaining([inA, inB]));
		expect(summarize(a).people).toBe(a.length);
	});

	test('"Đổi người học" lists given names only, of people who can log in', async () => {
		const withCard = await newVillager({ fullName: 'Rơ Châm Lan' });
		await card(withCard);
		const noWay = await newVillager({ fullName: 'Đinh Văn Hùng' });
		const device = rememberOnDevice(rememberOnDevice([], noWay), withCard);
		expect(await listPhonePeople(h.db, device)).toEqual([{ index: 0, givenName: 'Lan', usesPin: true }]);
	});
});
