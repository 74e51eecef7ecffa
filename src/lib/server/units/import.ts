import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { parseCsv } from './csv';
import { unitSearchKey } from './search-key';
import { deriveUpperLineage, importLineage } from './lineage';
import { rebuildUnitScope } from './scope';

/** One official list of units, as in `seed/units/*.csv` (columns code,name,level,type,parent_code,valid_from,valid_to). */
export interface UnitList {
	name: string;
	csv: string;
}

const LEVELS = new Set(['province', 'district', 'commune', 'hamlet']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The lists shipped in the repository, bundled into the build so the app needs no files beside it at run time.
const seedFiles = import.meta.glob<string>('/seed/units/*.csv', { query: '?raw', import: 'default', eager: true });

/** The unit lists in seed/units/, oldest first. Note: assumes each list's file name ends with its year. */
export function seedUnitLists(): UnitList[] {
	return Object.entries(seedFiles)
		.map(([file, csv]) => ({ name: file.split('/').pop()!, csv }))
		.filter((l) => /-\d{4}\.csv$/.test(l.name) && !l.name.includes('lineage'))
		.sort((a, b) => a.name.slice(-8).localeCompare(b.name.slice(-8)));
}

/** The lineage files in seed/units/ (old_code,new_code,kind), oldest first. */
export function seedLineageLists(): UnitList[] {
	return Object.entries(seedFiles)
		.map(([file, csv]) => ({ name: file.split('/').pop()!, csv }))
		.filter((l) => l.name.includes('lineage'))
		.sort((a, b) => a.name.localeCompare(b.name));
}

interface Row {
	code: string;
	name: string;
	level: string;
	type: string;
	parent_code: string;
	valid_from: string;
	valid_to: string;
}

function readList(list: UnitList): Row[] {
	const rows = parseCsv(list.csv) as unknown as Row[];
	const codes = new Set<string>();
	rows.forEach((r, i) => {
		const where = `${list.name}, dòng ${i + 2}`;
		if (!r.code || !r.name || !r.type) throw new Error(`${where}: thiếu mã, tên hoặc loại đơn vị`);
		if (!LEVELS.has(r.level)) throw new Error(`${where}: cấp "${r.level}" không hợp lệ`);
		for (const d of [r.valid_from, r.valid_to]) if (d && !DATE.test(d)) throw new Error(`${where}: ngày "${d}" không đúng dạng YYYY-MM-DD`);
		if (codes.has(r.code)) throw new Error(`${where}: mã ${r.code} lặp lại trong cùng danh sách`);
		codes.add(r.code);
	});
	for (const r of rows) {
		if (r.parent_code && !codes.has(r.parent_code)) throw new Error(`${list.name}: mã cấp trên ${r.parent_code} của ${r.code} không có trong danh sách`);
	}
	return rows;
}

function depthOf(row: Row, byCode: Map<string, Row>): number {
	let d = 0;
	for (let p = row.parent_code; p; p = byCode.get(p)!.parent_code) {
		if (++d > 10) throw new Error(`Vòng lặp cấp trên ở mã ${row.code}`);
	}
	return d;
}

/**
 * Inserts the given lists (oldest first) into `unit`. A parent code refers to a unit of the same list.
 * A row left open (no valid_to) whose code appears again in a later list starting on a date is closed on that
 * date: e.g. Nhơn Châu 2022 (under Quy Nhơn) ends where Nhơn Châu 2025 (under Gia Lai) begins, so only the
 * newer row is current.
 */
export async function importUnitLists(trx: Transaction<Database>, lists: UnitList[]): Promise<number> {
	const parsed = lists.map(readList);
	let count = 0;
	for (const [i, rows] of parsed.entries()) {
		for (const r of rows) {
			if (r.valid_to) continue;
			const later = parsed.slice(i + 1).flat().find((l) => l.code === r.code && l.valid_from);
			if (later) r.valid_to = later.valid_from;
		}
		const byCode = new Map(rows.map((r) => [r.code, r]));
		const ids = new Map<string, number>();
		const byDepth = new Map<number, Row[]>();
		for (const r of rows) {
			const d = depthOf(r, byCode);
			byDepth.set(d, [...(byDepth.get(d) ?? []), r]);
		}
		for (const d of [...byDepth.keys()].sort((a, b) => a - b)) {
			const group = byDepth.get(d)!;
			const inserted = await trx
				.insertInto('unit')
				.values(
					group.map((r) => ({
						code: r.code,
						name: r.name,
						level: r.level,
						type: r.type,
						parent_id: r.parent_code ? ids.get(r.parent_code)! : null,
						valid_from: r.valid_from || null,
						valid_to: r.valid_to || null,
						search_key: unitSearchKey(r.type, r.name)
					}))
				)
				.returning(['id', 'code'])
				.execute();
			for (const u of inserted) ids.set(u.code, u.id);
			count += inserted.length;
		}
	}
	return count;
}

/**
 * Loads the units shipped in seed/units/ when the unit table is empty, with their lineage, and fills unit_scope;
 * on a database whose units were loaded before lineage and scope existed, adds the seed lineage and the scope.
 * Otherwise does nothing. Safe when several processes start at once: they take turns on an advisory lock and only
 * the first one finds work to do. Returns how many units were inserted.
 */
export async function importSeedUnitsIfEmpty(
	db: Kysely<Database>,
	lists: UnitList[] = seedUnitLists(),
	lineage: UnitList[] = seedLineageLists()
): Promise<number> {
	return db.transaction().execute(async (trx) => {
		// 5202025: an arbitrary number naming the unit import.
		await sql`select pg_advisory_xact_lock(5202025)`.execute(trx);
		const existing = await trx.selectFrom('unit').select('id').limit(1).executeTakeFirst();
		const count = existing ? 0 : await importUnitLists(trx, lists);
		const scoped = await trx.selectFrom('unit_scope').select('unit_id').limit(1).executeTakeFirst();
		if (count > 0 || !scoped) {
			const hasLineage = await trx.selectFrom('unit_lineage').select('old_unit_id').limit(1).executeTakeFirst();
			if (!hasLineage) {
				// Units loaded earlier may not be the seed's: then lineage rows naming other units are left out.
				for (const l of lineage) await importLineage(trx, l, { skipUnknown: count === 0 });
				await deriveUpperLineage(trx);
			}
			await rebuildUnitScope(trx);
		}
		return count;
	});
}
