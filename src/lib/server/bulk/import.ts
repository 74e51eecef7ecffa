import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { looksLikePhone, normalizePhone } from '$lib/server/auth/phone';
import { normalizeUsername, USERNAME_MESSAGE } from '$lib/server/auth/user';
import { hashCode } from '$lib/server/teams/codes';
import { issueSetupCode } from '$lib/server/teams/reset';
import { foldVietnamese } from '$lib/server/vietnamese-text';
import type { CsvRow } from '$lib/server/units/csv';
import { applyUnitAssignments } from './unit-assignments';
import { inScope } from '$lib/server/units/scope';
import { unitLabel } from '$lib/server/units/search';

type Db = Kysely<Database> | Transaction<Database>;

// Importing a unit's civil servants from a list: read, checked row by row, shown for confirmation, then created all
// together or not at all. Each new account gets a one-time setup code instead of a password.

/** How long an uploaded list waits for confirmation. */
export const DRAFT_MINUTES = 60;

/** The columns of the list, with the header names accepted for each (compared without diacritics or case). */
export const IMPORT_COLUMNS = [
	{ key: 'fullName', header: 'Họ và tên', aliases: ['ho va ten', 'ho ten', 'full name', 'name'] },
	{ key: 'login', header: 'Số điện thoại hoặc tên đăng nhập', aliases: ['so dien thoai hoac ten dang nhap', 'so dien thoai', 'dien thoai', 'sdt', 'ten dang nhap', 'phone', 'username', 'phone or username'] },
	{ key: 'unitCode', header: 'Mã đơn vị', aliases: ['ma don vi', 'unit code', 'ma dv'] },
	{ key: 'position', header: 'Chức vụ', aliases: ['chuc vu', 'position', 'chuc danh'] }
] as const;

type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

/** One person of the list, as typed (nothing changed but spaces trimmed). */
export interface ImportRow {
	/** The row number in the person's spreadsheet program (the header is row 1). */
	line: number;
	fullName: string;
	login: string;
	unitCode: string;
	position: string;
}

/** A row as the preview shows it: what will be created, or why it cannot be. */
export interface CheckedRow extends ImportRow {
	errors: string[];
	/** Cleaned values, when the row has no error. */
	value?: { fullName: string; phone: string | null; username: string | null; unitId: number; unitLabel: string; position: string | null };
}

/** The list's rows under the header, or why the header cannot be read. */
export function rowsFromSheet(rows: CsvRow[]): { ok: true; rows: ImportRow[] } | { ok: false; message: string } {
	const [header, ...body] = rows;
	const index = new Map<ColumnKey, number>();
	header.cells.forEach((cell, i) => {
		const name = foldVietnamese(cell);
		const col = IMPORT_COLUMNS.find((c) => (c.aliases as readonly string[]).includes(name));
		if (col && !index.has(col.key)) index.set(col.key, i);
	});
	const missing = IMPORT_COLUMNS.filter((c) => c.key !== 'position' && !index.has(c.key)).map((c) => `"${c.header}"`);
	if (missing.length) {
		return {
			ok: false,
			message: `Dòng đầu của tệp cần có tên các cột. Chưa thấy cột ${missing.join(', ')}. Hãy dùng tệp mẫu: dòng 1 là ${IMPORT_COLUMNS.map((c) => `"${c.header}"`).join(', ')}.`
		};
	}
	const at = (cells: string[], key: ColumnKey) => {
		const i = index.get(key);
		return i === undefined ? '' : (cells[i] ?? '').slice(0, 200);
	};
	return {
		ok: true,
		rows: body.map((r) => ({ line: r.line, fullName: at(r.cells, 'fullName'), login: at(r.cells, 'login'), unitCode: at(r.cells, 'unitCode'), position: at(r.cells, 'position') }))
	};
}

/** A phone number as a spreadsheet may keep it: 912345678 (a number cell drops the leading zero) stands for 0912345678. */
function phoneOf(login: string) {
	const digits = login.replace(/[\s.\-()]/g, '');
	return normalizePhone(/^[35789]\d{8}$/.test(digits) ? `0${digits}` : login);
}

/**
 * Checks every row against the rules and the database: a name, a valid phone number or username, a current unit
 * (blank: the unit of the page) inside `scopeUnitId`, no repeat within the file, no existing account. Every problem
 * of every row is reported, in Vietnamese, with the row number.
 */
export async function checkImportRows(db: Db, scopeUnitId: number, rows: ImportRow[]): Promise<CheckedRow[]> {
	const codes = [...new Set(rows.map((r) => r.unitCode).filter(Boolean))];
	const units = codes.length
		? await db
				.selectFrom('unit as u')
				.leftJoin('unit_scope as s', (j) => j.onRef('s.unit_id', '=', 'u.id').on('s.ancestor_id', '=', scopeUnitId))
				.select(['u.id', 'u.code', 'u.type', 'u.name', 's.unit_id as in_scope'])
				.where('u.code', 'in', codes)
				.where('u.valid_to', 'is', null)
				.where('u.retired_at', 'is', null)
				.execute()
		: [];
	const scopeUnit = await db.selectFrom('unit').select(['id', 'type', 'name', 'valid_to', 'retired_at']).where('id', '=', scopeUnitId).executeTakeFirstOrThrow();
	// Type and name only (the scope unit may have an end date; it is not shown here).
	const label = (u: { type: string; name: string }) => unitLabel({ type: u.type, name: u.name });

	const logins = rows.map((r) => {
		const raw = r.login.trim();
		if (!raw) return { phone: null, username: null, error: 'Thiếu số điện thoại hoặc tên đăng nhập.' };
		if (looksLikePhone(raw)) {
			const p = phoneOf(raw);
			return p.ok ? { phone: p.phone, username: null, error: null } : { phone: null, username: null, error: `Số điện thoại "${raw}" chưa đúng: cần số di động Việt Nam 10 chữ số, ví dụ 0912 345 678.` };
		}
		const u = normalizeUsername(raw);
		return u ? { phone: null, username: u, error: null } : { phone: null, username: null, error: `Tên đăng nhập "${raw}" chưa đúng. ${USERNAME_MESSAGE}` };
	});
	const phones = logins.flatMap((l) => (l.phone ? [l.phone] : []));
	const usernames = logins.flatMap((l) => (l.username ? [l.username] : []));
	const taken = new Set<string>();
	if (phones.length) for (const r of await db.selectFrom('app_user').select('phone').where('phone', 'in', phones).execute()) taken.add(`p:${r.phone}`);
	if (usernames.length) for (const r of await db.selectFrom('app_user').select('username').where('username', 'in', usernames).execute()) taken.add(`u:${r.username}`);

	const firstSeen = new Map<string, number>();
	return rows.map((row, i) => {
		const errors: string[] = [];
		const fullName = row.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
		if (fullName.length < 2) errors.push('Thiếu họ và tên.');
		else if (fullName.length > 100) errors.push('Họ và tên dài quá: tối đa 100 ký tự.');
		const login = logins[i];
		if (login.error) errors.push(login.error);
		const key = login.phone ? `p:${login.phone}` : login.username ? `u:${login.username}` : null;
		if (key) {
			const earlier = firstSeen.get(key);
			if (earlier !== undefined) errors.push(`Trùng ${login.phone ? 'số điện thoại' : 'tên đăng nhập'} với dòng ${earlier} trong tệp.`);
			else firstSeen.set(key, row.line);
			if (taken.has(key)) {
				errors.push(
					login.phone
						? `Số điện thoại ${login.phone} đã có tài khoản Học Số. Người này không cần nhập lại: nếu quên mật khẩu, hãy cấp mã lấy lại mật khẩu.`
						: `Tên đăng nhập "${login.username}" đã có người dùng. Hãy chọn tên khác.`
				);
			}
		}
		let unit: { id: number; type: string; name: string } | undefined;
		if (!row.unitCode) {
			if (scopeUnit.valid_to || scopeUnit.retired_at) errors.push('Thiếu mã đơn vị.');
			else unit = scopeUnit;
		} else {
			const found = units.find((u) => u.code === row.unitCode);
			if (!found) errors.push(`Không có đơn vị nào đang hoạt động mang mã "${row.unitCode}".`);
			else if (found.in_scope === null) errors.push(`Đơn vị mã ${row.unitCode} (${label(found)}) không thuộc ${label(scopeUnit)}: bạn chỉ nhập được người của đơn vị mình quản lý.`);
			else unit = found;
		}
		const position = row.position.normalize('NFC').trim().replace(/\s+/g, ' ');
		if (position.length > 100) errors.push('Chức vụ dài quá: tối đa 100 ký tự.');
		const checked: CheckedRow = { ...row, errors };
		if (!errors.length && unit) {
			checked.value = { fullName, phone: login.phone, username: login.username, unitId: unit.id, unitLabel: label(unit), position: position || null };
		}
		return checked;
	});
}

/** Keeps an uploaded list for its uploader until confirmed (or DRAFT_MINUTES pass); returns the token that names it. */
export async function saveDraft(db: Kysely<Database>, input: { userId: number; unitId: number; fileName: string; rows: ImportRow[] }): Promise<string> {
	await db.deleteFrom('account_import_draft').where('expires_at', '<', sql<Date>`now()`).execute();
	const token = randomBytes(24).toString('base64url');
	await db
		.insertInto('account_import_draft')
		.values({
			token_hash: hashCode(token),
			user_id: input.userId,
			unit_id: input.unitId,
			file_name: input.fileName.slice(0, 200),
			rows: JSON.stringify(input.rows),
			expires_at: new Date(Date.now() + DRAFT_MINUTES * 60_000)
		})
		.execute();
	return token;
}

/** The uploaded list of a token, only for the person who uploaded it, for the same unit, while it lasts. */
export async function loadDraft(db: Db, input: { token: string; userId: number; unitId: number }): Promise<{ fileName: string; rows: ImportRow[] } | undefined> {
	if (!/^[A-Za-z0-9_-]{32}$/.test(input.token)) return undefined;
	const row = await db
		.selectFrom('account_import_draft')
		.select(['file_name', 'rows'])
		.where('token_hash', '=', hashCode(input.token))
		.where('user_id', '=', input.userId)
		.where('unit_id', '=', input.unitId)
		.where('expires_at', '>', sql<Date>`now()`)
		.executeTakeFirst();
	if (!row) return undefined;
	const rows = typeof row.rows === 'string' ? JSON.parse(row.rows) : row.rows;
	return { fileName: row.file_name, rows: rows as ImportRow[] };
}

export const DRAFT_GONE = `Không còn danh sách đã tải lên (danh sách chờ xác nhận tối đa ${DRAFT_MINUTES} phút, hoặc đã được nhập rồi). Hãy tải tệp lên lại.`;

export interface ImportedPerson {
	userId: number;
	fullName: string;
	login: string;
	unitLabel: string;
	position: string | null;
	code: string;
	expiresAt: Date;
}

export type ImportResult = { ok: true; importId: number; people: ImportedPerson[] } | { ok: false; message: string; rows?: CheckedRow[] };

/**
 * Creates every account of the list, or none: in one transaction, the rows are checked again (someone may have
 * registered meanwhile), the accounts made (civil servants of their unit, with their position, no password), each
 * given a setup code and the unit assignments of their unit; the import is audited (who, how many, which unit).
 */
export async function confirmImport(db: Kysely<Database>, input: { token: string; userId: number; unitId: number }): Promise<ImportResult> {
	try {
		return await db.transaction().execute(async (trx) => {
			const draft = await loadDraft(trx, input);
			if (!draft) return { ok: false as const, message: DRAFT_GONE };
			// Two confirmations of the same list at once: the second waits here and then finds the list gone.
			const claimed = await trx.deleteFrom('account_import_draft').where('token_hash', '=', hashCode(input.token)).returning('token_hash').executeTakeFirst();
			if (!claimed) return { ok: false as const, message: DRAFT_GONE };
			const rows = await checkImportRows(trx, input.unitId, draft.rows);
			const bad = rows.filter((r) => r.errors.length).length;
			if (bad) throw new ImportRefused(rows, `Chưa nhập ai: ${bad} dòng có lỗi. Hãy sửa trong tệp rồi tải lên lại.`);
			const { id: importId } = await trx
				.insertInto('account_import')
				.values({ unit_id: input.unitId, created_by: input.userId, file_name: draft.fileName, row_count: rows.length })
				.returning('id')
				.executeTakeFirstOrThrow();
			const people: ImportedPerson[] = [];
			for (const r of rows) {
				const v = r.value!;
				const { id } = await trx
					.insertInto('app_user')
					.values({
						kind: 'learner',
						full_name: v.fullName,
						phone: v.phone,
						username: v.username,
						audience: 'civil_servant',
						unit_id: v.unitId,
						position: v.position,
						registered_by: input.userId,
						account_import_id: importId
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				const code = await issueSetupCode(trx, { userId: id, actorUserId: input.userId, unitId: v.unitId });
				people.push({ userId: id, fullName: v.fullName, login: v.phone ?? v.username ?? '', unitLabel: v.unitLabel, position: v.position, ...code });
			}
			const assigned = await applyUnitAssignments(trx, { userIds: people.map((p) => p.userId) });
			await writeAudit(trx, {
				actorUserId: input.userId,
				action: 'account.import',
				unitId: input.unitId,
				details: { importId, count: people.length, fileName: draft.fileName, assignments: assigned }
			});
			return { ok: true as const, importId, people };
		});
	} catch (e) {
		if (e instanceof ImportRefused) return { ok: false, message: e.message, rows: e.rows };
		// Someone took a phone number or username between the check and the insert: nothing was created.
		if ((e as { code?: string }).code === '23505') return { ok: false, message: 'Chưa nhập ai: có số điện thoại hoặc tên đăng nhập vừa được người khác dùng. Hãy tải tệp lên lại để xem dòng nào.' };
		throw e;
	}
}

/** Thrown inside the transaction so that nothing of a refused import stays (the draft too is kept). */
class ImportRefused extends Error {
	constructor(
		readonly rows: CheckedRow[],
		message: string
	) {
		super(message);
	}
}

/** The people of an import (for its page): the accounts still in scope, whether each has set a password yet. */
export async function listImportedPeople(db: Db, input: { importId: number; scopeUnitId: number }) {
	const imp = await db
		.selectFrom('account_import as i')
		.$call(inScope('i.unit_id', input.scopeUnitId))
		.leftJoin('app_user as by', 'by.id', 'i.created_by')
		.select(['i.id', 'i.file_name', 'i.row_count', 'i.created_at', 'i.unit_id', 'by.full_name as by_name'])
		.where('i.id', '=', input.importId)
		.executeTakeFirst();
	if (!imp) return undefined;
	const people = await db
		.selectFrom('app_user as u')
		.$call(inScope('u.unit_id', input.scopeUnitId))
		.innerJoin('unit as un', 'un.id', 'u.unit_id')
		.select(['u.id', 'u.full_name', 'u.phone', 'u.username', 'u.position', 'u.password_hash', 'un.type', 'un.name'])
		.where('u.account_import_id', '=', input.importId)
		.where('u.deleted_at', 'is', null)
		.orderBy('u.id')
		.execute();
	return {
		id: imp.id,
		fileName: imp.file_name,
		rowCount: imp.row_count,
		createdAt: imp.created_at,
		byName: imp.by_name,
		people: people.map((p) => ({
			id: p.id,
			fullName: p.full_name ?? '',
			login: p.phone ?? p.username ?? '',
			position: p.position,
			unitLabel: unitLabel(p),
			hasPassword: p.password_hash !== null
		}))
	};
}
