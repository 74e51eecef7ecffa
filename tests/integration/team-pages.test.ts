import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDbKind } from './support/test-db';
import { openAppTestDatabase } from './support/app-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { addLeafToScope } from '../../src/lib/server/units/scope';
import { grantRole, type Role } from '../../src/lib/server/auth/roles';
import { getUserById, type User } from '../../src/lib/server/auth/user';
import * as teamView from '../../src/routes/don-vi/[unit=id]/nguoi-dan/+page.server';
import * as register from '../../src/routes/don-vi/[unit=id]/nguoi-dan/dang-ky/+page.server';
import * as person from '../../src/routes/don-vi/[unit=id]/nguoi-dan/[user=id]/+page.server';
import * as printCards from '../../src/routes/don-vi/[unit=id]/nguoi-dan/in-the/+page.server';

// Every page and action of the team's pages, called as SvelteKit calls them, by people with and without the role.
describe(`team pages: who may see and do what (${testDbKind})`, () => {
	let db: DbHandle['db'];
	let close: () => Promise<void>;
	let commune: number;
	let hamletA: number;
	let hamletB: number;
	let villagerA: number;
	let villagerB: number;
	const people: Record<string, User | null> = { nobody: null };

	async function addHamlet(name: string, code: string) {
		return db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('unit')
				.values({ code, name, level: 'hamlet', type: 'thôn', parent_id: commune, search_key: ` thon ${code}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, commune);
			return id;
		});
	}
	async function user(name: string, unitId: number, roles: [Role, number | null][] = []): Promise<User> {
		const { id } = await db.insertInto('app_user').values({ kind: 'learner', full_name: name, unit_id: unitId, audience: 'citizen' }).returning('id').executeTakeFirstOrThrow();
		for (const [role, unit] of roles) await grantRole(db, id, role, unit);
		return (await getUserById(db, id))!;
	}

	beforeAll(async () => {
		({ db, close } = await openAppTestDatabase());
		await importSeedUnitsIfEmpty(db);
		commune = (await db.selectFrom('unit').select('id').where('code', '=', '21994').where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
		hamletA = await addHamlet('Làng A', '21994-A');
		hamletB = await addHamlet('Làng B', '21994-B');
		villagerA = (await user('Người Làng A', hamletA)).id;
		villagerB = (await user('Người Làng B', hamletB)).id;
		people.learner = await user('Người học', hamletA);
		people.teamA = await user('Tổ viên A', hamletA, [['team_member', hamletA]]);
		people.official = await user('Cán bộ xã', commune, [['official', commune]]);
		people.admin = await user('Quản trị', commune, [['admin', null]]);
	});
	afterAll(async () => close?.());

	function eventOf(who: string, params: Record<string, string>, form?: Record<string, string>) {
		const user = people[who];
		const body = new URLSearchParams(form ?? {});
		return {
			locals: { user, session: null },
			params,
			url: new URL(`http://127.0.0.1/don-vi/${params.unit}/nguoi-dan`),
			cookies: { get: () => undefined, set() {}, delete() {} },
			setHeaders() {},
			getClientAddress: () => '203.0.113.9',
			request: new Request('http://127.0.0.1/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
		} as never;
	}
	async function outcome(run: () => unknown): Promise<string> {
		try {
			const r = await run();
			return isActionFailure(r) ? `fail ${r.status}` : 'ok';
		} catch (e) {
			if (isRedirect(e)) return `redirect ${e.location.split('?')[0]}`;
			if (isHttpError(e)) return String(e.status);
			throw e;
		}
	}

	test('every load and action refuses people without a team role over the unit', async () => {
		const a = () => String(hamletA);
		const calls: [string, (who: string) => unknown, Record<string, string>][] = [
			['team view A', (w) => teamView.load(eventOf(w, { unit: a() })), {}],
			['register form A', (w) => register.load(eventOf(w, { unit: a() })), {}],
			['register A', (w) => register.actions.default(eventOf(w, { unit: a() }, { full_name: `Hà Thị Mới ${w}`, birth_year: '1960', consent: 'yes' })), {}],
			['print cards A', (w) => printCards.load(eventOf(w, { unit: a() })), {}],
			['print cards action A', (w) => printCards.actions.default(eventOf(w, { unit: a() }, { nguoi: String(villagerA) })), {}],
			['person A', (w) => person.load(eventOf(w, { unit: a(), user: String(villagerA) })), {}],
			['reset code A', (w) => person.actions.reset(eventOf(w, { unit: a(), user: String(villagerA) })), {}],
			['new card A', (w) => person.actions.card(eventOf(w, { unit: a(), user: String(villagerA) })), {}]
		];
		for (const [name, call] of calls) {
			expect(await outcome(() => call('nobody')), name).toBe('redirect /login');
			expect(await outcome(() => call('learner')), name).toBe('403');
			const ok = name === 'register A' ? `redirect /don-vi/${hamletA}/nguoi-dan/dang-ky` : 'ok';
			for (const who of ['teamA', 'official', 'admin']) expect(await outcome(() => call(who)), `${name} by ${who}`).toBe(ok);
		}
	});

	test("a hamlet's team member sees nothing of another hamlet", async () => {
		expect(await outcome(() => teamView.load(eventOf('teamA', { unit: String(hamletB) })))).toBe('403');
		expect(await outcome(() => person.actions.reset(eventOf('teamA', { unit: String(hamletB), user: String(villagerB) })))).toBe('403');
		// Another hamlet's person through one's own hamlet's address: not found, and no code is issued.
		expect(await outcome(() => person.load(eventOf('teamA', { unit: String(hamletA), user: String(villagerB) })))).toBe('404');
		expect(await outcome(() => person.actions.reset(eventOf('teamA', { unit: String(hamletA), user: String(villagerB) })))).toBe('404');
		expect(await db.selectFrom('password_reset_code').select('id').where('user_id', '=', villagerB).execute()).toEqual([]);
		// Printing cards ignores people outside the unit.
		expect(await outcome(() => printCards.actions.default(eventOf('teamA', { unit: String(hamletA) }, { nguoi: String(villagerB) })))).toBe('fail 400');
		const list = (await teamView.load(eventOf('teamA', { unit: String(hamletA) }))) as { villagers: { id: number }[] };
		expect(list.villagers.map((v) => v.id)).toContain(villagerA);
		expect(list.villagers.map((v) => v.id)).not.toContain(villagerB);
		// The commune's official sees both hamlets.
		const all = (await teamView.load(eventOf('official', { unit: String(commune) }))) as { villagers: { id: number }[] };
		expect(all.villagers.map((v) => v.id)).toEqual(expect.arrayContaining([villagerA, villagerB]));
		expect(await outcome(() => teamView.load(eventOf('official', { unit: '99999999' })))).toBe('404');
	});

	test('registering someone who is probably registered already shows them first', async () => {
		const form = { full_name: 'nguoi lang a', birth_year: '1960', consent: 'yes' };
		await db.updateTable('app_user').set({ birth_year: 1960 }).where('id', '=', villagerA).execute();
		const r = await register.actions.default(eventOf('teamA', { unit: String(hamletA) }, form));
		expect(r).toMatchObject({ status: 409, data: { duplicates: [{ id: villagerA, fullName: 'Người Làng A', birthYear: 1960 }] } });
	});
});
