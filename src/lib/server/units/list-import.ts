import { sql, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { parseCsvRows } from './csv';
import { unitSearchKey } from './search-key';
import { deriveUpperLineage, importLineage, readLineage } from './lineage';
import { rebuildUnitScope } from './scope';
import { rebuildRollups } from '$lib/server/stats/rollups';
import type { UnitList } from './import';

// `npm run units:import FILE.csv`: loads another province's unit list (or a newer list of one already loaded) into
// a running database. The file has the columns of seed/units/*.csv; a unit is a code plus the day it began
// (valid_from), as codes are reused across reforms. Importing the same file twice changes nothing the second time.
//
// - A row whose (code, valid_from) is not in the database is added.
// - A row that is there with another name, type, level, parent or end date changes it.
// - A unit that was current under one of the file's top units, is not a hamlet, and is missing from the file is
//   retired (valid_to = the retirement day), never deleted: records and targets keep pointing at it.
//   Hamlets are kept up by commune officials in the app, so a file never retires them.
// Every row is checked before anything is written; one bad row refuses the whole file, naming each bad line.

export const UNIT_LIST_COLUMNS = ['code', 'name', 'level', 'type', 'parent_code', 'valid_from', 'valid_to'] as const;
const LEVEL_RANK: Record<string, number> = { province: 0, district: 1, commune: 2, hamlet: 3 };
const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface UnitListRow {
	line: number;
	code: string;
	name: string;
	level: string;
	type: string;
	parentCode: string;
	validFrom: string | null;
	validTo: string | null;
}

export interface UnitChange {
	code: string;
	name: string;
	/** For a change: which fields, as "field: old -> new". */
	details?: string[];
}

export interface UnitImportPlan {
	added: UnitChange[];
	changed: UnitChange[];
	retired: UnitChange[];
	/** Lineage rows in the optional lineage file. */
	lineageRows: number;
	/** Things worth knowing that do not stop the import. */
	warnings: string[];
}

/** A file that cannot be imported: every problem found, each naming its file and line. */
export class UnitImportError extends Error {
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
	}
}

function isRealDate(d: string): boolean {
	const t = new Date(`${d}T00:00:00Z`);
	return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

/** Reads and checks a unit list on its own (not against the database). Throws UnitImportError listing every bad line. */
export function readUnitList(list: UnitList): UnitListRow[] {
	const problems: string[] = [];
	const table = parseCsvRows(list.csv);
	if (!table.length) throw new UnitImportError([`${list.name}: tệp trống, cần dòng tiêu đề ${UNIT_LIST_COLUMNS.join(',')}`]);
	const header = table[0].cells.map((h) => h.trim());
	const missing = UNIT_LIST_COLUMNS.filter((c) => !header.includes(c));
	if (missing.length) throw new UnitImportError([`${list.name}, dòng ${table[0].line}: thiếu cột ${missing.join(', ')} (cần đủ ${UNIT_LIST_COLUMNS.join(',')})`]);
	const col = (cells: string[], name: string) => (cells[header.indexOf(name)] ?? '').trim();
	const rows: UnitListRow[] = [];
	const seen = new Map<string, number>();
	for (const { line, cells } of table.slice(1)) {
		const where = `${list.name}, dòng ${line}`;
		if (cells.length !== header.length) problems.push(`${where}: có ${cells.length} ô, dòng tiêu đề có ${header.length}`);
		const r: UnitListRow = {
			line,
			code: col(cells, 'code'),
			name: col(cells, 'name').normalize('NFC'),
			level: col(cells, 'level'),
			type: col(cells, 'type').normalize('NFC'),
			parentCode: col(cells, 'parent_code'),
			validFrom: col(cells, 'valid_from') || null,
			validTo: col(cells, 'valid_to') || null
		};
		if (!CODE.test(r.code)) problems.push(`${where}: mã "${r.code}" không hợp lệ (chữ số hoặc chữ cái, tối đa 32 ký tự)`);
		if (!r.name) problems.push(`${where}: thiếu tên đơn vị`);
		if (!r.type) problems.push(`${where}: thiếu loại đơn vị (ví dụ xã, phường, huyện)`);
		if (!(r.level in LEVEL_RANK)) problems.push(`${where}: cấp "${r.level}" không hợp lệ (province, district, commune hoặc hamlet)`);
		for (const d of [r.validFrom, r.validTo]) {
			if (d && (!DATE.test(d) || !isRealDate(d))) problems.push(`${where}: ngày "${d}" không đúng dạng YYYY-MM-DD`);
		}
		if (r.validFrom && r.validTo && r.validFrom >= r.validTo) problems.push(`${where}: valid_to (${r.validTo}) phải sau valid_from (${r.validFrom})`);
		const key = `${r.code}|${r.validFrom ?? ''}`;
		if (seen.has(key)) problems.push(`${where}: mã ${r.code}${r.validFrom ? ` bắt đầu ${r.validFrom}` : ''} đã có ở dòng ${seen.get(key)}`);
		else seen.set(key, line);
		rows.push(r);
	}
	if (!rows.length) problems.push(`${list.name}: không có dòng đơn vị nào dưới dòng tiêu đề`);
	if (problems.length) throw new UnitImportError(problems);
	return rows;
}

interface DbUnit {
	id: number;
	code: string;
	name: string;
	level: string;
	type: string;
	parent_id: number | null;
	valid_from: string | null;
	valid_to: string | null;
}

const keyOf = (code: string, validFrom: string | null) => `${code}|${validFrom ?? ''}`;

/**
 * Plans and, unless `dryRun`, applies the import of a unit list (and optionally a lineage file old_code,new_code,kind)
 * inside the caller's transaction. Throws UnitImportError, with nothing written, when the file is bad.
 */
export async function importUnitList(
	trx: Transaction<Database>,
	list: UnitList,
	opts: { lineage?: UnitList; retireOn: string; dryRun?: boolean }
): Promise<UnitImportPlan> {
	if (!DATE.test(opts.retireOn) || !isRealDate(opts.retireOn)) throw new UnitImportError([`Ngày kết thúc "${opts.retireOn}" không đúng dạng YYYY-MM-DD`]);
	const rows = readUnitList(list);
	const lineageRows = opts.lineage ? readLineage(opts.lineage) : [];
	// One import at a time, and not at the same time as the app's own first load of the seed units.
	await sql`select pg_advisory_xact_lock(5202025)`.execute(trx);
	const units = await trx
		.selectFrom('unit')
		.select([
			'id',
			'code',
			'name',
			'level',
			'type',
			'parent_id',
			sql<string | null>`to_char(valid_from, 'YYYY-MM-DD')`.as('valid_from'),
			sql<string | null>`to_char(valid_to, 'YYYY-MM-DD')`.as('valid_to')
		])
		.execute();
	const byId = new Map(units.map((u) => [u.id, u]));
	const byKey = new Map(units.map((u) => [keyOf(u.code, u.valid_from), u]));
	const currentByCode = new Map(units.filter((u) => u.valid_to === null).map((u) => [u.code, u]));
	const fileByCode = new Map<string, UnitListRow>();
	for (const r of rows) if (!r.validTo || !fileByCode.has(r.code)) fileByCode.set(r.code, r);

	// The parent of a row: a row of the file with that code (the one current when the row begins), else a current
	// unit of the database (to add communes under a province already loaded).
	const problems: string[] = [];
	const parentOf = (r: UnitListRow): { row?: UnitListRow; unit?: DbUnit } | null => {
		if (!r.parentCode) return null;
		const inFile = rows.filter((p) => p.code === r.parentCode && (!p.validTo || !r.validFrom || p.validTo > r.validFrom));
		if (inFile.length) return { row: inFile.sort((a, b) => (b.validFrom ?? '').localeCompare(a.validFrom ?? ''))[0] };
		const unit = currentByCode.get(r.parentCode);
		return unit ? { unit } : null;
	};
	const parents = new Map<UnitListRow, { row?: UnitListRow; unit?: DbUnit } | null>();
	for (const r of rows) {
		const where = `${list.name}, dòng ${r.line}`;
		const p = parentOf(r);
		parents.set(r, p);
		if (r.parentCode && !p) problems.push(`${where}: mã cấp trên ${r.parentCode} không có trong tệp, cũng không là đơn vị hiện hành nào`);
		const parentLevel = p?.row?.level ?? p?.unit?.level;
		if (parentLevel && LEVEL_RANK[parentLevel] >= LEVEL_RANK[r.level]) problems.push(`${where}: đơn vị cấp ${r.level} không thể nằm dưới đơn vị cấp ${parentLevel} (${r.parentCode})`);
		if (!r.parentCode && r.level !== 'province') problems.push(`${where}: chỉ đơn vị cấp tỉnh (province) được để trống parent_code`);
	}
	for (const r of rows) {
		let p = parents.get(r)?.row;
		for (let depth = 0; p; p = parents.get(p)?.row) {
			if (++depth > 10 || p === r) {
				problems.push(`${list.name}, dòng ${r.line}: vòng lặp cấp trên ở mã ${r.code}`);
				break;
			}
		}
	}
	if (problems.length) throw new UnitImportError(problems);

	const plan: UnitImportPlan = { added: [], changed: [], retired: [], lineageRows: lineageRows.length, warnings: [] };
	const ids = new Map<UnitListRow, number>();
	const structural = { changed: false };
	const retiredIds: number[] = [];
	const parentCodeOf = (u: DbUnit) => (u.parent_id === null ? '' : (byId.get(u.parent_id)?.code ?? ''));
	// Parents first, so a new unit's parent has an id when the unit is written.
	const depth = (r: UnitListRow): number => {
		const p = parents.get(r)?.row;
		return p ? depth(p) + 1 : 0;
	};
	for (const r of [...rows].sort((a, b) => depth(a) - depth(b))) {
		const existing = byKey.get(keyOf(r.code, r.validFrom));
		const p = parents.get(r);
		const parentId = p?.row ? (ids.get(p.row) ?? byKey.get(keyOf(p.row.code, p.row.validFrom))?.id ?? null) : (p?.unit?.id ?? null);
		if (!existing) {
			plan.added.push({ code: r.code, name: `${r.type} ${r.name}` });
			if (!opts.dryRun) {
				const inserted = await trx
					.insertInto('unit')
					.values({
						code: r.code,
						name: r.name,
						level: r.level,
						type: r.type,
						parent_id: parentId,
						valid_from: r.validFrom,
						valid_to: r.validTo,
						search_key: unitSearchKey(r.type, r.name)
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				ids.set(r, inserted.id);
			}
			structural.changed = true;
			continue;
		}
		ids.set(r, existing.id);
		// A list leaves a unit open that a later list ended by starting a unit with the same code on that day (as the
		// seed lists do for Nhơn Châu): that is not a change.
		const closedBySuccessor = !r.validTo && existing.valid_to !== null && byKey.has(keyOf(r.code, existing.valid_to));
		const validTo = closedBySuccessor ? existing.valid_to : r.validTo;
		const details: string[] = [];
		if (existing.name !== r.name) details.push(`tên: ${existing.name} -> ${r.name}`);
		if (existing.type !== r.type) details.push(`loại: ${existing.type} -> ${r.type}`);
		if (existing.level !== r.level) details.push(`cấp: ${existing.level} -> ${r.level}`);
		const newParentCode = p?.row?.code ?? p?.unit?.code ?? '';
		const parentChanged = (existing.parent_id ?? null) !== parentId;
		if (parentChanged) details.push(`cấp trên: ${parentCodeOf(existing) || '(không)'} -> ${newParentCode || '(không)'}`);
		const retiring = existing.valid_to === null && validTo !== null;
		if (!retiring && existing.valid_to !== validTo) details.push(`ngày kết thúc: ${existing.valid_to ?? '(còn hiệu lực)'} -> ${validTo ?? '(còn hiệu lực)'}`);
		if (!details.length && !retiring) continue;
		if (retiring) retiredIds.push(existing.id);
		if (retiring) plan.retired.push({ code: r.code, name: `${r.type} ${r.name}`, details: [`kết thúc từ ${validTo}`] });
		if (details.length) plan.changed.push({ code: r.code, name: `${r.type} ${r.name}`, details });
		if (parentChanged || existing.level !== r.level || existing.valid_to !== validTo) structural.changed = true;
		if (!opts.dryRun) {
			await trx
				.updateTable('unit')
				.set({ name: r.name, type: r.type, level: r.level, parent_id: parentId, valid_to: validTo, search_key: unitSearchKey(r.type, r.name) })
				.where('id', '=', existing.id)
				.execute();
		}
	}

	// Units missing from the file, under one of its top units: retired (hamlets excepted).
	const inFile = new Set(rows.map((r) => keyOf(r.code, r.validFrom)));
	const roots = rows.filter((r) => !parents.get(r)?.row).map((r) => byKey.get(keyOf(r.code, r.validFrom))?.id).filter((id): id is number => id !== undefined);
	const children = new Map<number, DbUnit[]>();
	for (const u of units) if (u.parent_id !== null) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u]);
	const stack = roots.flatMap((id) => children.get(id) ?? []);
	const retire: DbUnit[] = [];
	const currentHamlets: DbUnit[] = [];
	while (stack.length) {
		const u = stack.pop()!;
		stack.push(...(children.get(u.id) ?? []));
		if (u.valid_to !== null || inFile.has(keyOf(u.code, u.valid_from))) continue;
		if (u.level === 'hamlet') currentHamlets.push(u);
		else retire.push(u);
	}
	for (const u of retire) {
		if (u.valid_from && u.valid_from >= opts.retireOn) {
			throw new UnitImportError([`${u.type} ${u.name} (mã ${u.code}) không có trong tệp nhưng mới bắt đầu từ ${u.valid_from}: không thể kết thúc vào ${opts.retireOn}`]);
		}
		plan.retired.push({ code: u.code, name: `${u.type} ${u.name}`, details: [`không có trong tệp, kết thúc từ ${opts.retireOn}`] });
		structural.changed = true;
		if (!opts.dryRun) await trx.updateTable('unit').set({ valid_to: opts.retireOn }).where('id', '=', u.id).execute();
	}
	const ended = new Set([...retire.map((u) => u.id), ...retiredIds]);
	const hamletsLeft = currentHamlets.filter((h) => h.parent_id !== null && ended.has(h.parent_id)).length;
	if (hamletsLeft) plan.warnings.push(`${hamletsLeft} thôn/tổ dân phố thuộc đơn vị vừa kết thúc vẫn còn hiệu lực: cán bộ xã cần chuyển hoặc kết thúc chúng trong ứng dụng.`);

	if (!opts.dryRun && opts.lineage) {
		try {
			await importLineage(trx, opts.lineage);
		} catch (e) {
			throw new UnitImportError([(e as Error).message]);
		}
		await deriveUpperLineage(trx);
		structural.changed = true;
	}
	if (!opts.dryRun && structural.changed) {
		await rebuildUnitScope(trx);
		// Counts are kept per ancestor: a unit that moved, ended or gained lineage counts elsewhere now.
		await rebuildRollups(trx);
	}
	return plan;
}
