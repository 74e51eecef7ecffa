import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDbKind } from './support/test-db';
import { openAppTestDatabase } from './support/app-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { addLeafToScope, grantsCovering, isUnitInScope, rebuildUnitScope } from '../../src/lib/server/units/scope';
import { requireUnitRole } from '../../src/lib/server/auth/guards';
import { grantRole, hasRole, type RoleGrant } from '../../src/lib/server/auth/roles';
import { getUserById, type User } from '../../src/lib/server/auth/user';
import { writeAudit } from '../../src/lib/server/audit';

// The seed: binh-dinh-2022.csv (171 units), gia-lai-2025.csv (136), unit-lineage-2025.csv (162 rows).
describe(`unit lineage, scope, roles and audit (${testDbKind})`, () => {
	let db: DbHandle['db'];
	let close: () => Promise<void>;
	/** The id of the unit with this code: the current one, or with `old` the one that has ended. */
	let unit: (code: string, old?: boolean) => Promise<number>;

	beforeAll(async () => {
		({ db, close } = await openAppTestDatabase());
		await importSeedUnitsIfEmpty(db);
		unit = async (code, old = false) => {
			const r = await db
				.selectFrom('unit')
				.select('id')
				.where('code', '=', code)
				.where('valid_to', old ? 'is not' : 'is', null)
				.orderBy('valid_to', 'desc')
				.executeTakeFirstOrThrow();
			return r.id;
		};
	});
	afterAll(async () => close?.());

	const scopeOf = async (id: number) =>
		db.selectFrom('unit_scope as s').innerJoin('unit as u', 'u.id', 's.unit_id').select(['u.code', 'u.name', 'u.valid_to', 's.depth', 's.partial']).where('s.ancestor_id', '=', id).execute();

	test('lineage: the 162 commune rows of the file, plus the 2022 province and its 11 districts flowing wholly into Gia Lai 2025', async () => {
		const rows = await db.selectFrom('unit_lineage').select(['old_unit_id', 'new_unit_id', 'kind']).execute();
		expect(rows).toHaveLength(162 + 12);
		expect(rows.filter((r) => r.kind === 'partial')).toHaveLength(6);
		const giaLai = await unit('52');
		const upper = await db
			.selectFrom('unit_lineage as l')
			.innerJoin('unit as o', 'o.id', 'l.old_unit_id')
			.select(['o.name', 'o.level', 'l.kind', 'l.new_unit_id'])
			.where('o.level', 'in', ['province', 'district'])
			.execute();
		expect(upper).toHaveLength(12);
		expect(upper.every((r) => r.new_unit_id === giaLai && r.kind === 'full')).toBe(true);
		expect(upper.find((r) => r.level === 'province')?.name).toBe('Bình Định');
	});

	test('Gia Lai 2025 counts every unit of both lists, all of it whole', async () => {
		const rows = await scopeOf(await unit('52'));
		expect(rows).toHaveLength(171 + 136);
		expect(rows.filter((r) => r.partial)).toEqual([]);
		expect(rows.find((r) => r.name === 'Bình Định')?.depth).toBe(0);
	});

	test('a 2025 commune counts the communes that flowed into it; a split commune counts partly under each', async () => {
		const vanCanh = await scopeOf(await unit('21994'));
		expect(vanCanh.map((r) => `${r.name}${r.partial ? ' (một phần)' : ''}`).sort()).toEqual(['Canh Hiệp (một phần)', 'Canh Hòa', 'Canh Thuận', 'Vân Canh', 'Vân Canh'].sort());
		const canhVinh = await scopeOf(await unit('22006'));
		expect(canhVinh.filter((r) => r.partial).map((r) => r.name).sort()).toEqual(['Canh Hiệp', 'Canh Liên']);
		// phường Quy Nhơn (2025) took in the six wards merged in 2024 and the two enlarged ones.
		const quyNhon = await scopeOf(await unit('21583'));
		for (const name of ['Lê Hồng Phong', 'Lý Thường Kiệt', 'Trần Hưng Đạo', 'Lê Lợi', 'Trần Phú', 'Thị Nại']) {
			expect(quyNhon.map((r) => r.name)).toContain(name);
		}
	});

	test('a 2022 district counts its own communes and nothing of 2025', async () => {
		const district = await db.selectFrom('unit').select('id').where('code', '=', '551').executeTakeFirstOrThrow();
		const rows = await scopeOf(district.id);
		expect(rows).toHaveLength(1 + 7);
		expect(rows.every((r) => r.valid_to !== null)).toBe(true);
		expect(await isUnitInScope(db, district.id, await unit('21997', true))).toBe(true);
		expect(await isUnitInScope(db, district.id, await unit('21997'))).toBe(false);
		expect(await isUnitInScope(db, await unit('21997'), await unit('21997', true))).toBe(true);
	});

	test('a hamlet added under a commune counts wherever the commune counts, as a full rebuild would have it', async () => {
		const commune = await unit('22006');
		const before = await db.selectFrom('unit_scope').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		const hamlet = await db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('unit')
				.values({ code: '22006.001', name: 'Làng Hiệp Hà', level: 'hamlet', type: 'làng', parent_id: commune, search_key: ' lang hiep ha' })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, commune);
			return id;
		});
		const incremental = await db.selectFrom('unit_scope').selectAll().orderBy('ancestor_id').orderBy('unit_id').execute();
		// Under Canh Vinh, Gia Lai and itself.
		expect(incremental.length - Number(before.n)).toBe(3);
		const giaLai = await unit('52');
		expect(incremental.find((r) => r.ancestor_id === giaLai && r.unit_id === hamlet)?.depth).toBe(2);
		await db.transaction().execute((trx) => rebuildUnitScope(trx));
		const rebuilt = await db.selectFrom('unit_scope').selectAll().orderBy('ancestor_id').orderBy('unit_id').execute();
		expect(rebuilt).toEqual(incremental);
	});

	test('a database whose units were loaded before lineage existed gets lineage and scope at the next start', async () => {
		await db.deleteFrom('unit_scope').execute();
		await db.deleteFrom('unit_lineage').execute();
		expect(await importSeedUnitsIfEmpty(db)).toBe(0);
		expect((await db.selectFrom('unit_lineage').select('kind').execute()).length).toBe(174);
		expect(await isUnitInScope(db, await unit('52'), await unit('21997', true))).toBe(true);
	});

	async function person(name: string, grants: [RoleGrant['role'], number | null][] = []): Promise<User> {
		const { id } = await db.insertInto('app_user').values({ kind: 'learner', full_name: name, audience: 'civil_servant' }).returning('id').executeTakeFirstOrThrow();
		for (const [role, unitId] of grants) await grantRole(db, id, role, unitId);
		return (await getUserById(db, id))!;
	}

	test('roles are grants over a unit; admin takes no unit and the others need one', async () => {
		const official = await person('Cán bộ Vân Canh', [['official', await unit('21994')]]);
		expect(official.roles).toEqual([{ role: 'official', unitId: await unit('21994') }]);
		expect(hasRole(official, 'official')).toBe(true);
		expect(hasRole(official, 'admin')).toBe(false);
		await expect(grantRole(db, official.id, 'official', null)).rejects.toThrow();
		await expect(db.insertInto('user_role').values({ user_id: official.id, role: 'official', unit_id: null }).execute()).rejects.toThrow();
		await expect(db.insertInto('user_role').values({ user_id: official.id, role: 'admin', unit_id: await unit('52') }).execute()).rejects.toThrow();
		await expect(db.insertInto('user_role').values({ user_id: official.id, role: 'chu_tich', unit_id: await unit('52') }).execute()).rejects.toThrow();
	});

	test('grantsCovering: a grant covers the units of its scope, admin covers everything', async () => {
		const vanCanh = await unit('21994');
		const canhHiep2022 = await unit('22000', true);
		const both = await person('Hai vai trò', [
			['official', vanCanh],
			['trainer', await unit('21583')]
		]);
		expect(await grantsCovering(db, both, ['official'], canhHiep2022)).toEqual([{ role: 'official', unitId: vanCanh }]);
		expect(await grantsCovering(db, both, ['trainer'], canhHiep2022)).toEqual([]);
		expect(await grantsCovering(db, both, ['official', 'trainer'], await unit('21583'))).toEqual([{ role: 'trainer', unitId: await unit('21583') }]);
		const admin = await person('Quản trị', [['admin', null]]);
		expect(await grantsCovering(db, admin, ['admin', 'official'], canhHiep2022)).toEqual([{ role: 'admin', unitId: null }]);
		expect(await grantsCovering(db, admin, ['official'], canhHiep2022)).toEqual([]);
	});

	function eventOf(user: User | null) {
		return { locals: { user, session: null }, url: new URL('http://localhost/don-vi/1'), cookies: {} as never };
	}
	async function outcome(p: Promise<unknown>): Promise<string> {
		try {
			await p;
			return 'ok';
		} catch (e) {
			if (isRedirect(e)) return `redirect ${e.location.split('?')[0]}`;
			if (isHttpError(e)) return String(e.status);
			throw e;
		}
	}

	test('requireUnitRole: login, then a role, then the unit within the scope of that role', async () => {
		const giaLai = await unit('52');
		const vanCanh = await unit('21994');
		const quyNhon = await unit('21583');
		const old = await unit('22000', true);
		const learner = await person('Người học');
		const official = await person('Cán bộ xã', [['official', vanCanh]]);
		const provincial = await person('Cán bộ tỉnh', [['official', giaLai]]);
		const team = await person('Tổ viên', [['team_member', vanCanh]]);
		const admin = await person('Quản trị viên', [['admin', null]]);
		const guest = { ...learner, kind: 'guest' as const };

		expect(await outcome(requireUnitRole(eventOf(null), ['official'], vanCanh))).toBe('redirect /login');
		expect(await outcome(requireUnitRole(eventOf(guest), ['official'], vanCanh))).toBe('redirect /login');
		expect(await outcome(requireUnitRole(eventOf(learner), ['official'], vanCanh))).toBe('403');
		expect(await outcome(requireUnitRole(eventOf(learner), ['official']))).toBe('403');
		expect(await outcome(requireUnitRole(eventOf(official), ['official'], vanCanh))).toBe('ok');
		expect(await outcome(requireUnitRole(eventOf(official), ['official'], old))).toBe('ok');
		expect(await outcome(requireUnitRole(eventOf(official), ['official'], quyNhon))).toBe('403');
		expect(await outcome(requireUnitRole(eventOf(official), ['official'], giaLai))).toBe('403');
		expect(await outcome(requireUnitRole(eventOf(provincial), ['official'], quyNhon))).toBe('ok');
		expect(await outcome(requireUnitRole(eventOf(team), ['official'], vanCanh))).toBe('403');
		expect(await outcome(requireUnitRole(eventOf(team), ['official', 'team_member'], vanCanh))).toBe('ok');
		expect(await outcome(requireUnitRole(eventOf(admin), ['official'], quyNhon))).toBe('ok');
		expect(await outcome(requireUnitRole(eventOf(admin), ['official'], 999999))).toBe('404');
		expect(await outcome(requireUnitRole(eventOf(official), ['official'], 999999))).toBe('404');

		const got = await requireUnitRole(eventOf(provincial), ['official'], old);
		expect(got).toMatchObject({ isAdmin: false, grants: [{ role: 'official', unitId: giaLai }] });
		expect(got.user.id).toBe(provincial.id);
		expect((await requireUnitRole(eventOf(admin), ['official'], old)).isAdmin).toBe(true);
	});

	test('writeAudit writes with the change it records, or not at all', async () => {
		const vanCanh = await unit('21994');
		const actor = await person('Người cấp', [['official', vanCanh]]);
		const target = await person('Người được cấp');
		await db.transaction().execute(async (trx) => {
			await grantRole(trx, target.id, 'team_member', vanCanh);
			await writeAudit(trx, { actorUserId: actor.id, action: 'role.grant', unitId: vanCanh, targetUserId: target.id, details: { role: 'team_member' } });
		});
		await expect(
			db.transaction().execute(async (trx) => {
				await writeAudit(trx, { actorUserId: actor.id, action: 'role.grant', unitId: vanCanh, targetUserId: target.id, details: { role: 'official' } });
				throw new Error('rolled back');
			})
		).rejects.toThrow('rolled back');
		const rows = await db.selectFrom('audit_log').select(['actor_user_id', 'action', 'unit_id', 'target_user_id', 'details']).where('target_user_id', '=', target.id).execute();
		expect(rows).toEqual([{ actor_user_id: actor.id, action: 'role.grant', unit_id: vanCanh, target_user_id: target.id, details: { role: 'team_member' } }]);
	});
});
