import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { createLearner, publishFixtureContent } from './support/learning';
import type { DbHandle } from '../../src/lib/server/db';
import { importSeedUnitsIfEmpty, seedLineageLists, seedUnitLists, type UnitList } from '../../src/lib/server/units/import';
import { importUnitList, UnitImportError, type UnitImportPlan } from '../../src/lib/server/units/list-import';
import { parseUnitsImportCommand, runUnitsImport, UNITS_IMPORT_USAGE } from '../../src/lib/server/units/import-command';
import { addLeafToScope } from '../../src/lib/server/units/scope';
import { compareRollupsWithRecount, countIssuedRecord } from '../../src/lib/server/stats/rollups';

const HEADER = 'code,name,level,type,parent_code,valid_from,valid_to';
const csv = (name: string, ...rows: string[]): UnitList => ({ name, csv: [HEADER, ...rows].join('\n') + '\n' });
const FIRST = csv(
	'tinh-thu-2025.csv',
	'91,Thử Nghiệm,province,tỉnh,,2025-07-01,',
	'91001,Hòa Bình,commune,xã,91,2025-07-01,',
	'91002,Tân Lập,commune,xã,91,2025-07-01,',
	'91003,Trung Tâm,commune,phường,91,2025-07-01,'
);

describe(`npm run units:import: a province's unit list (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
		await publishFixtureContent(h.db);
		await importSeedUnitsIfEmpty(h.db);
	});
	afterAll(async () => h?.close());

	const run = (list: UnitList, opts: { lineage?: UnitList; retireOn?: string; dryRun?: boolean } = {}): Promise<UnitImportPlan> =>
		h.db.transaction().execute((trx) => importUnitList(trx, list, { retireOn: '2026-12-01', ...opts }));
	const snapshot = async () =>
		(
			await sql<{ row: string }>`
				select concat_ws('|', id, code, name, level, type, parent_id, valid_from, valid_to, search_key) as row from unit order by id`.execute(h.db)
		).rows.map((r) => r.row);
	const unitByCode = async (code: string) =>
		(await sql<{ id: number; name: string; type: string; valid_to: string | null }>`
			select id, name, type, to_char(valid_to, 'YYYY-MM-DD') as valid_to from unit where code = ${code} order by id desc limit 1`.execute(h.db)).rows[0];
	const codes = (p: UnitImportPlan, k: 'added' | 'changed' | 'retired') => p[k].map((c) => c.code).sort();

	test('the shipped lists, imported again, change nothing', async () => {
		const before = await snapshot();
		for (const list of seedUnitLists()) {
			const plan = await run(list);
			expect([plan.added, plan.changed, plan.retired], list.name).toEqual([[], [], []]);
		}
		expect(await snapshot()).toEqual(before);
	});

	test('a new province is added once: the second run of the same file changes nothing', async () => {
		const plan = await run(FIRST);
		expect(codes(plan, 'added')).toEqual(['91', '91001', '91002', '91003']);
		expect([plan.changed, plan.retired]).toEqual([[], []]);
		const province = await unitByCode('91');
		const scope = await h.db.selectFrom('unit_scope').select('unit_id').where('ancestor_id', '=', province.id).execute();
		expect(scope).toHaveLength(4);
		const after = await snapshot();
		const again = await run(FIRST);
		expect([again.added, again.changed, again.retired]).toEqual([[], [], []]);
		expect(await snapshot()).toEqual(after);
	});

	test('a dry run reports what would change and writes nothing', async () => {
		const before = await snapshot();
		const plan = await run(csv('thu.csv', '91,Thử Nghiệm,province,tỉnh,,2025-07-01,', '91001,Hòa Bình Mới,commune,xã,91,2025-07-01,', '91004,Mới,commune,xã,91,2025-07-01,'), {
			dryRun: true
		});
		expect(codes(plan, 'added')).toEqual(['91004']);
		expect(codes(plan, 'changed')).toEqual(['91001']);
		expect(codes(plan, 'retired')).toEqual(['91002', '91003']);
		expect(await snapshot()).toEqual(before);
	});

	test('a bad file is refused whole, every problem named by file and line, nothing changed', async () => {
		const before = await snapshot();
		const bad = csv(
			'hong.csv',
			'91,Thử Nghiệm,province,tỉnh,,2025-07-01,',
			'91001,,commune,xã,91,2025-07-01,',
			'91009,Chín,town,xã,91,2025-31-01,',
			'91001,Lặp,commune,xã,91,2025-07-01,'
		);
		const err = await run(bad).catch((e) => e);
		expect(err).toBeInstanceOf(UnitImportError);
		expect((err as UnitImportError).problems).toEqual([
			'hong.csv, dòng 3: thiếu tên đơn vị',
			'hong.csv, dòng 4: cấp "town" không hợp lệ (province, district, commune hoặc hamlet)',
			'hong.csv, dòng 4: ngày "2025-31-01" không đúng dạng YYYY-MM-DD',
			'hong.csv, dòng 5: mã 91001 bắt đầu 2025-07-01 đã có ở dòng 3'
		]);
		const orphan = csv('mo-coi.csv', '91,Thử Nghiệm,province,tỉnh,,2025-07-01,', '91005,Lạc,commune,xã,90999,2025-07-01,', '91006,Ngược,province,tỉnh,91,2025-07-01,');
		expect(((await run(orphan).catch((e) => e)) as UnitImportError).problems).toEqual([
			'mo-coi.csv, dòng 3: mã cấp trên 90999 không có trong tệp, cũng không là đơn vị hiện hành nào',
			'mo-coi.csv, dòng 4: đơn vị cấp province không thể nằm dưới đơn vị cấp province (91)'
		]);
		const noColumns = { name: 'cot.csv', csv: 'code,name\n1,A\n' };
		expect(((await run(noColumns).catch((e) => e)) as UnitImportError).problems).toEqual([
			'cot.csv, dòng 1: thiếu cột level, type, parent_code, valid_from, valid_to (cần đủ code,name,level,type,parent_code,valid_from,valid_to)'
		]);
		expect(await snapshot()).toEqual(before);
	});

	test('a newer list adds the merged unit, renames, retires what it leaves out (never a hamlet) and records the lineage', async () => {
		const hoaBinh = await unitByCode('91001');
		const tanLap = (await unitByCode('91002')).id;
		const hamlet = await h.db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('unit')
				.values({ code: '91002-T1', name: 'Thôn Một', level: 'hamlet', type: 'thôn', parent_id: tanLap, search_key: ' thon thon mot' })
				.returning('id')
				.executeTakeFirstOrThrow();
			await addLeafToScope(trx, id, tanLap);
			return id;
		});
		// A learner of Tân Lập holds a record: after Tân Lập merges into Hòa Bình it counts under Hòa Bình.
		const learner = await createLearner(h.db, { unitId: tanLap, audience: 'citizen' });
		const course = await h.db.selectFrom('course').select(['id', 'current_version_id']).orderBy('id').executeTakeFirstOrThrow();
		await h.db.transaction().execute(async (trx) => {
			const r = await trx
				.insertInto('completion_record')
				.values({ code: 'TUNITIMP01', user_id: learner, course_id: course.id, course_version_id: course.current_version_id!, score: 100, unit_id: tanLap, audience: 'citizen' })
				.returning('issued_at')
				.executeTakeFirstOrThrow();
			await countIssuedRecord(trx, { userId: learner, courseId: course.id, unitId: tanLap, audience: 'citizen', issuedAt: r.issued_at });
		});
		// On 2026-12-01 Hòa Bình and Tân Lập become a new Hòa Bình (same code, a new unit), and Trung Tâm is renamed.
		const newer = csv(
			'tinh-thu-2026.csv',
			'91,Thử Nghiệm,province,tỉnh,,2025-07-01,',
			'91001,Hòa Bình,commune,xã,91,2026-12-01,',
			'91003,Trung Tâm Mới,commune,phường,91,2025-07-01,'
		);
		const lineage = { name: 'ke-thua-2026.csv', csv: 'old_code,new_code,kind\n91001,91001,full\n91002,91001,full\n' };
		const plan = await run(newer, { lineage, retireOn: '2026-12-01' });
		expect(codes(plan, 'added')).toEqual(['91001']);
		expect(plan.changed).toEqual([{ code: '91003', name: 'phường Trung Tâm Mới', details: ['tên: Trung Tâm -> Trung Tâm Mới'] }]);
		expect(codes(plan, 'retired')).toEqual(['91001', '91002']);
		expect(plan.warnings).toEqual(['1 thôn/tổ dân phố thuộc đơn vị vừa kết thúc vẫn còn hiệu lực: cán bộ xã cần chuyển hoặc kết thúc chúng trong ứng dụng.']);
		const newHoaBinh = await unitByCode('91001');
		expect(newHoaBinh.id).not.toBe(hoaBinh.id);
		expect(newHoaBinh.valid_to).toBeNull();
		expect(await unitByCode('91002')).toMatchObject({ id: tanLap, valid_to: '2026-12-01' });
		const kept = await h.db.selectFrom('unit').select(['id', 'valid_to']).where('id', '=', hamlet).executeTakeFirstOrThrow();
		expect(kept.valid_to).toBeNull();
		// The merged commune's record now counts under the new Hòa Bình, and the running counts equal a full recount.
		const underNew = await h.db.selectFrom('unit_scope').select('unit_id').where('ancestor_id', '=', newHoaBinh.id).execute();
		expect(underNew.map((r) => r.unit_id)).toEqual(expect.arrayContaining([hoaBinh.id, tanLap]));
		const counted = await h.db.selectFrom('stat_month').select('learners').where('unit_id', '=', newHoaBinh.id).where('subject_id', '=', course.id).execute();
		expect(counted.map((r) => r.learners)).toEqual([1]);
		expect(await compareRollupsWithRecount(h.db)).toEqual([]);
		// And the same files again change nothing.
		const again = await run(newer, { lineage });
		expect([again.added, again.changed, again.retired]).toEqual([[], [], []]);
	});

	test('a lineage row naming an unknown unit refuses the import and changes nothing', async () => {
		const before = await snapshot();
		const lineage = { name: 'ke-thua-sai.csv', csv: 'old_code,new_code,kind\n91777,91001,full\n' };
		const err = await run(csv('tinh-thu-2027.csv', '91,Thử Nghiệm,province,tỉnh,,2025-07-01,', '91001,Hòa Bình,commune,xã,91,2026-12-01,', '91003,Trung Tâm Khác,commune,phường,91,2025-07-01,'), {
			lineage
		}).catch((e) => e);
		expect(err).toBeInstanceOf(UnitImportError);
		expect((err as UnitImportError).problems[0]).toMatch(/^ke-thua-sai\.csv, dòng 2: /);
		expect(await snapshot()).toEqual(before);
	});

	test('the shipped lineage file is what the first start loaded', () => {
		expect(seedLineageLists().map((l) => l.name)).toEqual(['unit-lineage-2025.csv']);
	});
});

// The command, `npm run units:import`: what it prints and its exit code, called as functions on a database that has
// only been migrated (units-import-cli.pglite.test.ts runs the real command once, in a new process).
describe(`the units:import command's work (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
	});
	afterAll(async () => h?.close());

	test('refuses a bad file with its lines and exit code 1, then imports a good one and prints what it added', async () => {
		const head = 'code,name,level,type,parent_code,valid_from,valid_to\n93,Mới,province,tỉnh,,2025-07-01,\n';
		const opts = { retireOn: '2026-12-01', dryRun: false };
		const bad = await runUnitsImport(h.db, { name: 'tinh-moi.csv', csv: head + '93001,Một,commune,làng,93,2025-07-01,x\n' }, opts);
		expect(bad.code).toBe(1);
		expect(bad.stdout).toEqual([]);
		expect(bad.stderr[0]).toBe('Không nhập tinh-moi.csv: tệp có 1 lỗi, không thay đổi gì.');
		expect(bad.stderr).toContain('  tinh-moi.csv, dòng 3: ngày "x" không đúng dạng YYYY-MM-DD');
		expect(await h.db.selectFrom('unit').select('id').where('code', 'in', ['93', '93001']).execute()).toEqual([]);

		const good = await runUnitsImport(h.db, { name: 'tinh-moi.csv', csv: head + '93001,Một,commune,xã,93,2025-07-01,\n' }, opts);
		expect(good.stderr).toEqual([]);
		expect(good.code).toBe(0);
		expect(good.stdout.join('\n')).toBe('Đã nhập tinh-moi.csv:\nThêm mới: 2\n  93  tỉnh Mới\n  93001  xã Một\nThay đổi: 0\nKết thúc: 0');
		// The shipped units were loaded first, as at the app's first start.
		expect(await h.db.selectFrom('unit').select('id').where('code', '=', '21994').execute()).not.toEqual([]);
		const again = await runUnitsImport(h.db, { name: 'tinh-moi.csv', csv: head + '93001,Một,commune,xã,93,2025-07-01,\n' }, { ...opts, dryRun: true });
		expect(again.code).toBe(0);
		expect(again.stdout[0]).toBe('Thử nhập tinh-moi.csv (không ghi gì):');
		expect(again.stdout.at(-1)).toBe('Danh mục đã khớp với cơ sở dữ liệu: không có gì thay đổi.');
	});

	test('reads its arguments: options, one file, usage when something is wrong', () => {
		expect(parseUnitsImportCommand(['tinh.csv'], '2026-12-01')).toEqual({ file: 'tinh.csv', lineageFile: undefined, retireOn: '2026-12-01', dryRun: false });
		expect(parseUnitsImportCommand(['--dry-run', 'tinh.csv', '--lineage', 'ke-thua.csv', '--retire-on', '2027-01-01'], '2026-12-01')).toEqual({
			file: 'tinh.csv',
			lineageFile: 'ke-thua.csv',
			retireOn: '2027-01-01',
			dryRun: true
		});
		expect(parseUnitsImportCommand(['--help'], '2026-12-01')).toEqual({ help: true });
		expect(parseUnitsImportCommand([], '2026-12-01')).toEqual({ error: UNITS_IMPORT_USAGE });
		expect(parseUnitsImportCommand(['a.csv', 'b.csv'], '2026-12-01')).toEqual({ error: `Chỉ nhận một tệp danh mục (thừa "b.csv").\n${UNITS_IMPORT_USAGE}` });
		expect(parseUnitsImportCommand(['a.csv', '--nhanh'], '2026-12-01')).toEqual({ error: `Không hiểu tùy chọn --nhanh.\n${UNITS_IMPORT_USAGE}` });
		expect(parseUnitsImportCommand(['a.csv', '--lineage'], '2026-12-01')).toEqual({ error: `--lineage cần tên tệp.\n${UNITS_IMPORT_USAGE}` });
	});
});
