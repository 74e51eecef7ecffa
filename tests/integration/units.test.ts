import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty, seedUnitLists } from '../../src/lib/server/units/import';
import { getUnitOption, searchUnits } from '../../src/lib/server/units/search';

// 171 rows in binh-dinh-2022.csv and 136 in gia-lai-2025.csv.
const SEED_UNITS = 171 + 136;

describe(`units (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
	});
	afterAll(async () => h?.close());

	const count = async () => Number((await h.db.selectFrom('unit').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

	test('the seed lists are the 2022 and 2025 files, oldest first', () => {
		expect(seedUnitLists().map((l) => l.name)).toEqual(['binh-dinh-2022.csv', 'gia-lai-2025.csv']);
	});

	test('import fills an empty table once, and is a no-op afterwards', async () => {
		expect(await importSeedUnitsIfEmpty(h.db)).toBe(SEED_UNITS);
		expect(await count()).toBe(SEED_UNITS);
		expect(await importSeedUnitsIfEmpty(h.db)).toBe(0);
		expect(await count()).toBe(SEED_UNITS);
	});

	test('two processes starting at once import the units once', async () => {
		await h.db.deleteFrom('unit_scope').execute();
		await h.db.deleteFrom('unit_lineage').execute();
		await h.db.deleteFrom('unit').execute();
		const results = await Promise.all([importSeedUnitsIfEmpty(h.db), importSeedUnitsIfEmpty(h.db)]);
		expect(results.sort()).toEqual([0, SEED_UNITS]);
		expect(await count()).toBe(SEED_UNITS);
	});

	test('a reused code is two units with their own dates and parents', async () => {
		const rows = await h.db
			.selectFrom('unit')
			.select(['name', 'level', 'valid_from', 'valid_to', 'parent_id'])
			.where('code', '=', '52')
			.orderBy('name')
			.execute();
		expect(rows.map((r) => r.name)).toEqual(['Bình Định', 'Gia Lai']);
		expect(rows.every((r) => r.parent_id === null && r.level === 'province')).toBe(true);
		// A commune of 2022 hangs under its 2022 district, a commune of 2025 under the 2025 province.
		const canhLien = await h.db
			.selectFrom('unit as u')
			.innerJoin('unit as p', 'p.id', 'u.parent_id')
			.select(['p.name', 'p.level'])
			.where('u.code', '=', '21997')
			.orderBy('p.level')
			.execute();
		expect(canhLien).toEqual([
			{ name: 'Vân Canh', level: 'district' },
			{ name: 'Gia Lai', level: 'province' }
		]);
	});

	test('Nhơn Châu, in both lists, is current only once (its 2022 row ends when the 2025 one starts)', async () => {
		const found = await searchUnits(h.db, 'nhon chau', { currentOnly: true });
		expect(found.map((u) => u.label)).toEqual(['Xã Nhơn Châu, tỉnh Gia Lai']);
		const all = await searchUnits(h.db, 'nhon chau');
		expect(all.map((u) => u.label)).toEqual(['Xã Nhơn Châu, tỉnh Gia Lai', 'Xã Nhơn Châu, thành phố Quy Nhơn (trước 01/07/2025)']);
	});

	test('"van canh" finds Vân Canh with or without diacritics, current unit first', async () => {
		for (const q of ['van canh', 'Vân Canh', 'VÂN CANH', '  vân   canh ', 'xa van canh']) {
			const [first] = await searchUnits(h.db, q);
			expect(first, q).toMatchObject({ name: 'Vân Canh', type: 'xã', current: true, label: 'Xã Vân Canh, tỉnh Gia Lai' });
		}
		const all = await searchUnits(h.db, 'van canh');
		expect(all.map((u) => u.label)).toEqual([
			'Xã Vân Canh, tỉnh Gia Lai',
			'Huyện Vân Canh, tỉnh Bình Định (trước 01/07/2025)',
			'Thị trấn Vân Canh, huyện Vân Canh (trước 01/07/2025)'
		]);
		const current = await searchUnits(h.db, 'van canh', { currentOnly: true });
		expect(current.map((u) => u.label)).toEqual(['Xã Vân Canh, tỉnh Gia Lai']);
	});

	test('words match at word starts, in any unit type; đ folds to d; codes match', async () => {
		const dongDa = await searchUnits(h.db, 'dong da');
		expect(dongDa[0].label).toBe('Phường Đống Đa, thành phố Quy Nhơn (trước 01/07/2025)');
		expect((await searchUnits(h.db, 'quy nhon b', { currentOnly: true })).map((u) => u.label)).toEqual(['Phường Quy Nhơn Bắc, tỉnh Gia Lai']);
		expect(await searchUnits(h.db, 'an canh')).toEqual([]);
		// 21994 was thị trấn Vân Canh before the 2025 reform and is xã Vân Canh after it.
		expect((await searchUnits(h.db, '21994')).map((u) => u.label)).toEqual([
			'Xã Vân Canh, tỉnh Gia Lai',
			'Thị trấn Vân Canh, huyện Vân Canh (trước 01/07/2025)'
		]);
		expect(await searchUnits(h.db, '  ')).toEqual([]);
		expect(await searchUnits(h.db, "%_'")).toEqual([]);
		expect(await searchUnits(h.db, 'xa', { limit: 5 })).toHaveLength(5);
	});

	test('getUnitOption gives the label of one unit', async () => {
		const [unit] = await searchUnits(h.db, 'van canh', { currentOnly: true });
		expect(await getUnitOption(h.db, unit.id)).toEqual(unit);
		expect(await getUnitOption(h.db, 999999)).toBeUndefined();
	});
});
