import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { grantRole, type Role } from '../../src/lib/server/auth/roles';
import { getUserById, type User } from '../../src/lib/server/auth/user';
import { grantUnitRole, listRoleHolders, listUnitAudit, revokeUnitRole } from '../../src/lib/server/units/unit-roles';
import { addHamlet, listHamlets, renameHamlet, setHamletRetired } from '../../src/lib/server/units/hamlets';
import { isUnitInScope } from '../../src/lib/server/units/scope';
import { searchUnits } from '../../src/lib/server/units/search';

describe(`officials manage roles and hamlets within their scope (${testDbKind})`, () => {
	let h: DbHandle;
	let giaLai: number, vanCanh: number, canhVinh: number, quyNhon: number;
	let provincial: User, commune: User, admin: User;
	let n = 0;

	async function person(name: string, role?: Role, unitId?: number | null): Promise<User> {
		const { id } = await h.db
			.insertInto('app_user')
			.values({ kind: 'learner', full_name: name, username: `nguoi${++n}x`, audience: 'civil_servant' })
			.returning('id')
			.executeTakeFirstOrThrow();
		if (role) await grantRole(h.db, id, role, unitId ?? null);
		return (await getUserById(h.db, id))!;
	}
	const loginOf = async (u: User) => (await h.db.selectFrom('app_user').select('username').where('id', '=', u.id).executeTakeFirstOrThrow()).username!;

	beforeAll(async () => {
		h = await createTestDatabase();
		await importSeedUnitsIfEmpty(h.db);
		const current = async (code: string) => (await h.db.selectFrom('unit').select('id').where('code', '=', code).where('valid_to', 'is', null).executeTakeFirstOrThrow()).id;
		[giaLai, vanCanh, canhVinh, quyNhon] = await Promise.all(['52', '21994', '22006', '21583'].map(current));
		provincial = await person('Cán bộ tỉnh', 'official', giaLai);
		commune = await person('Cán bộ xã Vân Canh', 'official', vanCanh);
		admin = await person('Quản trị viên', 'admin');
	});
	afterAll(async () => h?.close());

	test('an official grants a role over their unit; the grant and the audit entry land together', async () => {
		const member = await person('Đinh Văn Tổ');
		const r = await grantUnitRole(h.db, { actor: commune, unitId: vanCanh, login: await loginOf(member), role: 'team_member' });
		expect(r).toEqual({ ok: true, who: 'Đinh Văn Tổ', role: 'team_member' });
		expect((await getUserById(h.db, member.id))!.roles).toEqual([{ role: 'team_member', unitId: vanCanh }]);
		const again = await grantUnitRole(h.db, { actor: commune, unitId: vanCanh, login: await loginOf(member), role: 'team_member' });
		expect(again.ok).toBe(false);
		const holders = await listRoleHolders(h.db, vanCanh);
		expect(holders.map((x) => [x.fullName, x.role])).toEqual(expect.arrayContaining([['Đinh Văn Tổ', 'team_member'], ['Cán bộ xã Vân Canh', 'official']]));
		// The province sees the commune's people; a sibling commune does not.
		expect((await listRoleHolders(h.db, giaLai)).some((x) => x.userId === member.id)).toBe(true);
		expect((await listRoleHolders(h.db, canhVinh)).some((x) => x.userId === member.id)).toBe(false);
	});

	test('no grant above one\'s own scope, no admin, nothing to oneself, nobody unknown', async () => {
		const target = await person('Người khác');
		const login = await loginOf(target);
		expect(await grantUnitRole(h.db, { actor: commune, unitId: giaLai, login, role: 'official' })).toMatchObject({ ok: false, field: 'id' });
		expect(await grantUnitRole(h.db, { actor: commune, unitId: quyNhon, login, role: 'trainer' })).toMatchObject({ ok: false, field: 'id' });
		expect(await grantUnitRole(h.db, { actor: commune, unitId: vanCanh, login, role: 'admin' })).toMatchObject({ ok: false, field: 'role' });
		expect(await grantUnitRole(h.db, { actor: commune, unitId: vanCanh, login: await loginOf(commune), role: 'trainer' })).toMatchObject({ ok: false, field: 'login' });
		expect(await grantUnitRole(h.db, { actor: commune, unitId: vanCanh, login: 'khong.co.ai', role: 'trainer' })).toMatchObject({ ok: false, field: 'login' });
		const learner = await person('Người học');
		expect(await grantUnitRole(h.db, { actor: learner, unitId: vanCanh, login, role: 'trainer' })).toMatchObject({ ok: false, field: 'id' });
		expect((await getUserById(h.db, target.id))!.roles).toEqual([]);
		// The province official and an administrator may grant in the commune.
		expect((await grantUnitRole(h.db, { actor: provincial, unitId: vanCanh, login, role: 'trainer' })).ok).toBe(true);
		expect((await grantUnitRole(h.db, { actor: admin, unitId: quyNhon, login, role: 'trainer' })).ok).toBe(true);
	});

	test('revoking: only grants within the page\'s unit and the actor\'s scope; never one\'s own', async () => {
		const target = await person('Người bị thu hồi', 'trainer', quyNhon);
		const grantId = (await listRoleHolders(h.db, quyNhon)).find((x) => x.userId === target.id)!.grantId;
		// Through Vân Canh's page the Quy Nhơn grant is not found; through Quy Nhơn's the commune official may not act.
		expect(await revokeUnitRole(h.db, { actor: commune, scopeUnitId: vanCanh, grantId })).toMatchObject({ ok: false });
		expect(await revokeUnitRole(h.db, { actor: commune, scopeUnitId: quyNhon, grantId })).toMatchObject({ ok: false });
		expect((await getUserById(h.db, target.id))!.roles).toHaveLength(1);
		const own = (await listRoleHolders(h.db, vanCanh)).find((x) => x.userId === commune.id)!.grantId;
		expect(await revokeUnitRole(h.db, { actor: commune, scopeUnitId: vanCanh, grantId: own })).toMatchObject({ ok: false });
		expect(await revokeUnitRole(h.db, { actor: provincial, scopeUnitId: giaLai, grantId })).toMatchObject({ ok: true, role: 'trainer' });
		expect((await getUserById(h.db, target.id))!.roles).toEqual([]);
	});

	test('the audit log of a unit is read by its officials and those above, not by a sibling unit', async () => {
		const mine = await listUnitAudit(h.db, vanCanh);
		expect(mine.some((a) => a.action === 'role.grant' && a.targetName === 'Đinh Văn Tổ' && a.actorName === 'Cán bộ xã Vân Canh')).toBe(true);
		const above = await listUnitAudit(h.db, giaLai);
		expect(above.filter((a) => a.action === 'role.revoke').map((a) => a.targetName)).toContain('Người bị thu hồi');
		expect(above.some((a) => a.targetName === 'Đinh Văn Tổ')).toBe(true);
		const sibling = await listUnitAudit(h.db, canhVinh);
		expect(sibling).toEqual([]);
	});

	test('hamlets: add (in scope at once), refuse a duplicate, rename, retire (hidden from search, kept), restore', async () => {
		const added = await addHamlet(h.db, { communeId: vanCanh, type: 'làng', name: '  Hiệp   Hà ', actorUserId: commune.id });
		expect(added).toEqual({ ok: true, name: 'làng Hiệp Hà' });
		expect(await addHamlet(h.db, { communeId: vanCanh, type: 'làng', name: 'Hiệp Hà', actorUserId: commune.id })).toMatchObject({ ok: false, field: 'name' });
		expect(await addHamlet(h.db, { communeId: vanCanh, type: 'làng', name: '', actorUserId: commune.id })).toMatchObject({ ok: false, field: 'name' });
		expect(await addHamlet(h.db, { communeId: vanCanh, type: 'quận', name: 'X', actorUserId: commune.id })).toMatchObject({ ok: false, field: 'type' });
		expect(await addHamlet(h.db, { communeId: giaLai, type: 'thôn', name: 'X', actorUserId: commune.id })).toMatchObject({ ok: false, field: 'id' });
		await addHamlet(h.db, { communeId: vanCanh, type: 'thôn', name: 'Một', actorUserId: commune.id });
		const [hamlet] = (await listHamlets(h.db, vanCanh)).filter((x) => x.name === 'Hiệp Hà');
		expect(hamlet.code).toMatch(/^21994\.\d{3}$/);
		expect(await isUnitInScope(h.db, vanCanh, hamlet.id)).toBe(true);
		expect(await isUnitInScope(h.db, giaLai, hamlet.id)).toBe(true);
		expect(await isUnitInScope(h.db, canhVinh, hamlet.id)).toBe(false);

		expect(await renameHamlet(h.db, { communeId: vanCanh, hamletId: hamlet.id, type: 'thôn', name: 'Một', actorUserId: commune.id })).toMatchObject({ ok: false });
		expect(await renameHamlet(h.db, { communeId: canhVinh, hamletId: hamlet.id, type: 'làng', name: 'Khác', actorUserId: commune.id })).toMatchObject({ ok: false, field: 'id' });
		expect(await renameHamlet(h.db, { communeId: vanCanh, hamletId: hamlet.id, type: 'làng', name: 'Hiệp Hà Đông', actorUserId: commune.id })).toEqual({ ok: true, name: 'làng Hiệp Hà Đông' });

		await h.db.insertInto('app_user').values({ kind: 'learner', full_name: 'Dân làng', audience: 'citizen', unit_id: hamlet.id }).execute();
		expect((await setHamletRetired(h.db, { communeId: vanCanh, hamletId: hamlet.id, retired: true, actorUserId: commune.id })).ok).toBe(true);
		expect(await searchUnits(h.db, 'hiep ha dong', { currentOnly: true })).toEqual([]);
		expect((await searchUnits(h.db, 'hiep ha dong')).map((u) => u.name)).toEqual(['Hiệp Hà Đông']);
		const listed = (await listHamlets(h.db, vanCanh)).find((x) => x.id === hamlet.id)!;
		expect(listed).toMatchObject({ retired: true, people: 1, name: 'Hiệp Hà Đông' });
		expect((await setHamletRetired(h.db, { communeId: vanCanh, hamletId: hamlet.id, retired: false, actorUserId: commune.id })).ok).toBe(true);
		expect((await searchUnits(h.db, 'hiep ha dong', { currentOnly: true })).map((u) => u.name)).toEqual(['Hiệp Hà Đông']);

		const audit = (await listUnitAudit(h.db, giaLai)).filter((a) => a.action.startsWith('hamlet.')).map((a) => a.action);
		expect(audit).toEqual(['hamlet.restore', 'hamlet.retire', 'hamlet.rename', 'hamlet.add', 'hamlet.add']);
	});
});
