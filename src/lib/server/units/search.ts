import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { foldVietnamese } from '../vietnamese-text';

/** What a person sees of a unit when picking one: public fields only. */
export interface UnitOption {
	id: number;
	code: string;
	type: string;
	name: string;
	level: string;
	/** "Xã Vân Canh, tỉnh Gia Lai"; a former unit ends with "(trước 01/07/2025)". */
	label: string;
	/** Whether the unit exists today (no valid_to). */
	current: boolean;
}

interface UnitRow {
	id: number;
	code: string;
	type: string;
	name: string;
	level: string;
	valid_to: string | null;
	parent_type: string | null;
	parent_name: string | null;
}

function capitalise(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Xã Vân Canh, tỉnh Gia Lai" or "Huyện Vân Canh, tỉnh Bình Định (trước 01/07/2025)". */
export function unitLabel(u: { type: string; name: string; parent_type?: string | null; parent_name?: string | null; valid_to?: string | null }): string {
	let label = `${capitalise(u.type)} ${u.name}`;
	if (u.parent_name) label += `, ${u.parent_type} ${u.parent_name}`;
	if (u.valid_to) {
		const [y, m, d] = u.valid_to.split('-');
		label += ` (trước ${d}/${m}/${y})`;
	}
	return label;
}

function toOption(r: UnitRow): UnitOption {
	return { id: r.id, code: r.code, type: r.type, name: r.name, level: r.level, label: unitLabel(r), current: r.valid_to === null };
}

function selectUnits(db: Kysely<Database>) {
	return db
		.selectFrom('unit as u')
		.leftJoin('unit as p', 'p.id', 'u.parent_id')
		.select([
			'u.id',
			'u.code',
			'u.type',
			'u.name',
			'u.level',
			sql<string | null>`to_char(u.valid_to, 'YYYY-MM-DD')`.as('valid_to'),
			'p.type as parent_type',
			'p.name as parent_name'
		]);
}

/**
 * Finds units whose type and name contain every word of the query at a word start, with or without diacritics:
 * "van canh", "Vân Canh" and "xa van c" all find xã Vân Canh. A query of digits also matches the official code.
 * Current units come first, then exact name matches, then higher levels, then by name.
 */
export async function searchUnits(
	db: Kysely<Database>,
	query: string,
	opts: { limit?: number; currentOnly?: boolean } = {}
): Promise<UnitOption[]> {
	const folded = foldVietnamese(query);
	if (!folded) return [];
	const words = folded.split(' ').slice(0, 8);
	const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
	let q = selectUnits(db).where((eb) => {
		const byName = eb.and(words.map((w) => eb('u.search_key', 'like', `% ${w}%`)));
		return /^\d+$/.test(folded) ? eb.or([byName, eb('u.code', '=', folded)]) : byName;
	});
	// Retired hamlets stay for what refers to them but are not offered any more.
	if (opts.currentOnly) q = q.where('u.valid_to', 'is', null).where('u.retired_at', 'is', null);
	const rows = await q
		.orderBy(sql`u.valid_to is null`, 'desc')
		.orderBy(sql`u.search_key like ${`% ${folded}`}`, 'desc')
		.orderBy(sql`case u.level when 'province' then 0 when 'district' then 1 when 'commune' then 2 else 3 end`)
		.orderBy('u.name')
		.orderBy('u.id')
		.limit(limit)
		.execute();
	return rows.map(toOption);
}

/** One unit by id, or undefined. */
export async function getUnitOption(db: Kysely<Database>, id: number): Promise<UnitOption | undefined> {
	const row = await selectUnits(db).where('u.id', '=', id).executeTakeFirst();
	return row && toOption(row);
}

/** The unit that exists today (not ended, not retired) with this official code, or undefined. */
export async function findCurrentUnitByCode(db: Kysely<Database>, code: string): Promise<UnitOption | undefined> {
	const row = await selectUnits(db).where('u.code', '=', code).where('u.valid_to', 'is', null).where('u.retired_at', 'is', null).executeTakeFirst();
	return row && toOption(row);
}

/** The units directly under a unit that exist today (hamlets in use included), by name. */
export async function listChildUnits(db: Kysely<Database>, parentId: number): Promise<UnitOption[]> {
	const rows = await selectUnits(db)
		.where('u.parent_id', '=', parentId)
		.where('u.valid_to', 'is', null)
		.where('u.retired_at', 'is', null)
		.orderBy('u.name')
		.execute();
	return rows.map(toOption);
}

/** The units above a unit, top first (for breadcrumbs). */
export async function listUnitAncestors(db: Kysely<Database>, unitId: number): Promise<UnitOption[]> {
	const out: UnitOption[] = [];
	let current = await db.selectFrom('unit').select('parent_id').where('id', '=', unitId).executeTakeFirst();
	for (let i = 0; current?.parent_id && i < 6; i++) {
		const parent = await getUnitOption(db, current.parent_id);
		if (!parent) break;
		out.unshift(parent);
		current = await db.selectFrom('unit').select('parent_id').where('id', '=', parent.id).executeTakeFirst();
	}
	return out;
}
