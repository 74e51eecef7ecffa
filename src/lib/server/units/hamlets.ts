import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { unitSearchKey } from './search-key';
import { addLeafToScope } from './scope';

type Db = Kysely<Database> | Transaction<Database>;

/** Kinds of hamlet-level units a commune has (thôn, làng, buôn in the mountains, tổ dân phố in wards...). */
export const HAMLET_TYPES = ['thôn', 'làng', 'buôn', 'ấp', 'bản', 'tổ dân phố', 'khu phố'] as const;

export interface Hamlet {
	id: number;
	code: string;
	type: string;
	name: string;
	retired: boolean;
	/** How many accounts name it as their unit. */
	people: number;
}

/** The hamlets of a commune, in use first, then by name. */
export async function listHamlets(db: Db, communeId: number): Promise<Hamlet[]> {
	const rows = await db
		.selectFrom('unit as h')
		.select(['h.id', 'h.code', 'h.type', 'h.name', 'h.retired_at'])
		.select((eb) => eb.selectFrom('app_user').select(eb.fn.countAll<number>().as('n')).whereRef('app_user.unit_id', '=', 'h.id').as('people'))
		.where('h.parent_id', '=', communeId)
		.where('h.level', '=', 'hamlet')
		.orderBy(sql`h.retired_at is not null`)
		.orderBy('h.name')
		.execute();
	return rows.map((r) => ({ id: r.id, code: r.code, type: r.type, name: r.name, retired: r.retired_at !== null, people: Number(r.people ?? 0) }));
}

export type HamletResult = { ok: true; name: string } | { ok: false; field: 'name' | 'type' | 'id'; message: string };

/** A name as typed: spaces collapsed, NFC; 1 to 80 characters. */
function cleanName(input: string): string {
	return input.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function checkInput(name: string, type: string): HamletResult | null {
	if (!name) return { ok: false, field: 'name', message: 'Hãy nhập tên thôn, làng hoặc tổ dân phố.' };
	if (name.length > 80) return { ok: false, field: 'name', message: 'Tên dài quá 80 ký tự. Hãy viết ngắn hơn.' };
	if (!(HAMLET_TYPES as readonly string[]).includes(type)) return { ok: false, field: 'type', message: 'Hãy chọn loại: thôn, làng, buôn, ấp, bản, tổ dân phố hoặc khu phố.' };
	return null;
}

async function nameTaken(db: Db, communeId: number, type: string, name: string, exceptId?: number): Promise<boolean> {
	let q = db
		.selectFrom('unit')
		.select('id')
		.where('parent_id', '=', communeId)
		.where('level', '=', 'hamlet')
		.where('retired_at', 'is', null)
		.where('search_key', '=', unitSearchKey(type, name));
	if (exceptId) q = q.where('id', '!=', exceptId);
	return !!(await q.executeTakeFirst());
}

/**
 * Adds a hamlet under a current commune, with a code made of the commune's code and a number ("21994.003", as
 * hamlets have no official code), puts it in unit_scope and writes hamlet.add to the audit log, all at once.
 */
export async function addHamlet(db: Kysely<Database>, input: { communeId: number; type: string; name: string; actorUserId: number }): Promise<HamletResult> {
	const name = cleanName(input.name);
	const bad = checkInput(name, input.type);
	if (bad) return bad;
	return db.transaction().execute(async (trx) => {
		const commune = await trx
			.selectFrom('unit')
			.select(['id', 'code'])
			.where('id', '=', input.communeId)
			.where('level', '=', 'commune')
			.where('valid_to', 'is', null)
			.forUpdate()
			.executeTakeFirst();
		if (!commune) return { ok: false as const, field: 'id' as const, message: 'Chỉ xã, phường đang hoạt động mới thêm được thôn, làng.' };
		if (await nameTaken(trx, commune.id, input.type, name)) return { ok: false as const, field: 'name' as const, message: `Xã đã có ${input.type} ${name}.` };
		const { n } = await trx
			.selectFrom('unit')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('parent_id', '=', commune.id)
			.where('level', '=', 'hamlet')
			.executeTakeFirstOrThrow();
		const code = `${commune.code}.${String(Number(n) + 1).padStart(3, '0')}`;
		const { id } = await trx
			.insertInto('unit')
			.values({ code, name, level: 'hamlet', type: input.type, parent_id: commune.id, search_key: unitSearchKey(input.type, name) })
			.returning('id')
			.executeTakeFirstOrThrow();
		await addLeafToScope(trx, id, commune.id);
		await writeAudit(trx, { actorUserId: input.actorUserId, action: 'hamlet.add', unitId: commune.id, details: { hamletId: id, code, type: input.type, name } });
		return { ok: true as const, name: `${input.type} ${name}` };
	});
}

async function lockHamlet(trx: Transaction<Database>, communeId: number, hamletId: number) {
	return trx
		.selectFrom('unit')
		.select(['id', 'type', 'name', 'retired_at'])
		.where('id', '=', hamletId)
		.where('parent_id', '=', communeId)
		.where('level', '=', 'hamlet')
		.forUpdate()
		.executeTakeFirst();
}

const NOT_HERE = { ok: false as const, field: 'id' as const, message: 'Không tìm thấy thôn, làng này trong xã. Danh sách dưới đây là mới nhất.' };

/** Renames a hamlet of the commune (its type may change too); people and records keep pointing at it. */
export async function renameHamlet(
	db: Kysely<Database>,
	input: { communeId: number; hamletId: number; type: string; name: string; actorUserId: number }
): Promise<HamletResult> {
	const name = cleanName(input.name);
	const bad = checkInput(name, input.type);
	if (bad) return bad;
	return db.transaction().execute(async (trx) => {
		const h = await lockHamlet(trx, input.communeId, input.hamletId);
		if (!h) return NOT_HERE;
		if (await nameTaken(trx, input.communeId, input.type, name, h.id)) return { ok: false as const, field: 'name' as const, message: `Xã đã có ${input.type} ${name}.` };
		await trx.updateTable('unit').set({ name, type: input.type, search_key: unitSearchKey(input.type, name) }).where('id', '=', h.id).execute();
		await writeAudit(trx, {
			actorUserId: input.actorUserId,
			action: 'hamlet.rename',
			unitId: input.communeId,
			details: { hamletId: h.id, from: `${h.type} ${h.name}`, to: `${input.type} ${name}` }
		});
		return { ok: true as const, name: `${input.type} ${name}` };
	});
}

/**
 * Retires a hamlet (hidden from pickers; people, records and counts keep it) or puts it back in use. A hamlet is
 * never deleted: accounts and records may name it.
 */
export async function setHamletRetired(
	db: Kysely<Database>,
	input: { communeId: number; hamletId: number; retired: boolean; actorUserId: number }
): Promise<HamletResult> {
	return db.transaction().execute(async (trx) => {
		const h = await lockHamlet(trx, input.communeId, input.hamletId);
		if (!h) return NOT_HERE;
		if (!input.retired && (await nameTaken(trx, input.communeId, h.type, h.name, h.id))) {
			return { ok: false as const, field: 'id' as const, message: `Xã đang có ${h.type} ${h.name} khác: hãy đổi tên một trong hai trước.` };
		}
		await trx
			.updateTable('unit')
			.set({ retired_at: input.retired ? sql<Date>`coalesce(retired_at, now())` : null })
			.where('id', '=', h.id)
			.execute();
		await writeAudit(trx, {
			actorUserId: input.actorUserId,
			action: input.retired ? 'hamlet.retire' : 'hamlet.restore',
			unitId: input.communeId,
			details: { hamletId: h.id, name: `${h.type} ${h.name}` }
		});
		return { ok: true as const, name: `${h.type} ${h.name}` };
	});
}
