import { sql, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { parseCsv } from './csv';
import type { UnitList } from './import';

/** One row of a lineage file (columns old_code,new_code,kind), with its line number for messages. */
export interface LineageRow {
	oldCode: string;
	newCode: string;
	kind: 'full' | 'partial';
	line: number;
}

/** Reads a lineage file; throws naming the file and line of the first bad row. */
export function readLineage(list: UnitList): LineageRow[] {
	const rows = parseCsv(list.csv);
	return rows.map((r, i) => {
		const line = i + 2;
		if (!r.old_code || !r.new_code) throw new Error(`${list.name}, dòng ${line}: thiếu old_code hoặc new_code`);
		if (r.kind !== 'full' && r.kind !== 'partial') throw new Error(`${list.name}, dòng ${line}: kind "${r.kind ?? ''}" phải là full hoặc partial`);
		return { oldCode: r.old_code, newCode: r.new_code, kind: r.kind, line };
	});
}

interface UnitRef {
	id: number;
	code: string;
	parent_id: number | null;
	level: string;
	valid_from: string | null;
	valid_to: string | null;
}

async function loadUnits(trx: Transaction<Database>): Promise<UnitRef[]> {
	return trx
		.selectFrom('unit')
		.select([
			'id',
			'code',
			'parent_id',
			'level',
			sql<string | null>`to_char(valid_from, 'YYYY-MM-DD')`.as('valid_from'),
			sql<string | null>`to_char(valid_to, 'YYYY-MM-DD')`.as('valid_to')
		])
		.execute();
}

/**
 * Writes the lineage of a file into unit_lineage. Codes are reused across reforms, so a new code names the unit
 * that exists today with that code, and an old code the unit with that code that had ended by the day the new
 * unit began (the latest one if several). Throws, naming the line, when a code names no unit; adds nothing then
 * (the caller's transaction is rolled back), or skips the row with `skipUnknown`. Returns how many rows were written.
 */
export async function importLineage(trx: Transaction<Database>, list: UnitList, opts: { skipUnknown?: boolean } = {}): Promise<number> {
	const rows = readLineage(list);
	const units = await loadUnits(trx);
	const byCode = new Map<string, UnitRef[]>();
	for (const u of units) byCode.set(u.code, [...(byCode.get(u.code) ?? []), u]);
	const values: { old_unit_id: number; new_unit_id: number; kind: 'full' | 'partial' }[] = [];
	for (const r of rows) {
		const newUnit = (byCode.get(r.newCode) ?? []).find((u) => u.valid_to === null);
		if (!newUnit && opts.skipUnknown) continue;
		if (!newUnit) throw new Error(`${list.name}, dòng ${r.line}: không có đơn vị hiện hành mã ${r.newCode}`);
		const oldUnit = (byCode.get(r.oldCode) ?? [])
			.filter((u) => u.valid_to !== null && (!newUnit.valid_from || u.valid_to <= newUnit.valid_from))
			.sort((a, b) => b.valid_to!.localeCompare(a.valid_to!))[0];
		if (!oldUnit && opts.skipUnknown) continue;
		if (!oldUnit) throw new Error(`${list.name}, dòng ${r.line}: không có đơn vị cũ mã ${r.oldCode} đã kết thúc trước ${newUnit.valid_from ?? 'đơn vị mới'}`);
		values.push({ old_unit_id: oldUnit.id, new_unit_id: newUnit.id, kind: r.kind });
	}
	if (!values.length) return 0;
	const inserted = await trx
		.insertInto('unit_lineage')
		.values(values)
		.onConflict((oc) => oc.columns(['old_unit_id', 'new_unit_id']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind') })))
		.returning('old_unit_id')
		.execute();
	return inserted.length;
}

/**
 * Lineage of ended units above the commune level (the province of 2022 and its districts), derived from the
 * lineage of the communes below them: an ended unit with no lineage of its own flows into the parent(s) of the units
 * its communes became: wholly when they all lie under one parent (Bình Định 2022 and each of its 11 districts ->
 * Gia Lai 2025), partly into each parent otherwise. Returns how many rows were added.
 */
export async function deriveUpperLineage(trx: Transaction<Database>): Promise<number> {
	const units = await loadUnits(trx);
	const lineage = await trx.selectFrom('unit_lineage').select(['old_unit_id', 'new_unit_id']).execute();
	const byId = new Map(units.map((u) => [u.id, u]));
	const children = new Map<number, number[]>();
	for (const u of units) if (u.parent_id !== null) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u.id]);
	const outflow = new Map<number, number[]>();
	for (const l of lineage) outflow.set(l.old_unit_id, [...(outflow.get(l.old_unit_id) ?? []), l.new_unit_id]);

	const values: { old_unit_id: number; new_unit_id: number; kind: 'full' | 'partial' }[] = [];
	for (const u of units) {
		if (u.valid_to === null || u.level === 'commune' || u.level === 'hamlet' || outflow.has(u.id)) continue;
		const parents = new Set<number>();
		const stack = [...(children.get(u.id) ?? [])];
		while (stack.length) {
			const id = stack.pop()!;
			for (const n of outflow.get(id) ?? []) {
				const p = byId.get(n)?.parent_id;
				if (p != null) parents.add(p);
			}
			stack.push(...(children.get(id) ?? []));
		}
		for (const p of parents) values.push({ old_unit_id: u.id, new_unit_id: p, kind: parents.size === 1 ? 'full' : 'partial' });
	}
	if (!values.length) return 0;
	const inserted = await trx
		.insertInto('unit_lineage')
		.values(values)
		.onConflict((oc) => oc.columns(['old_unit_id', 'new_unit_id']).doNothing())
		.returning('old_unit_id')
		.execute();
	return inserted.length;
}
