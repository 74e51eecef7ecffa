import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { normalizePhone } from '$lib/server/auth/phone';
import { isPhoneTaken } from '$lib/server/auth/user';
import { consumeAttempt, THROTTLE } from '$lib/server/auth/throttle';
import { tooManyRegistrationsMessage } from '$lib/server/auth/register';
import { foldVietnamese } from '$lib/server/vietnamese-text';
import { ASSISTED_CONSENT } from './consent';
import { applyUnitAssignments } from '$lib/server/bulk/unit-assignments';

/** What a team member types when registering a villager. */
export interface AssistedForm {
	fullName: string;
	birthYear: string;
	phone: string;
	consent: boolean;
	/** The team member has seen the likely duplicates and still wants a new account. */
	confirmNew: boolean;
}

export type AssistedField = 'fullName' | 'birthYear' | 'phone' | 'consent';

export interface LikelyDuplicate {
	id: number;
	fullName: string;
	birthYear: number | null;
	registeredAt: Date;
}

export type AssistedResult =
	| { ok: true; userId: number }
	| { ok: false; field: AssistedField; message: string }
	| { ok: false; duplicates: LikelyDuplicate[] };

/**
 * People of the unit with the same name (diacritics, case and spacing aside) and the same year of birth: most
 * likely the same person registered before, who needs a reset code or a new card rather than a second account.
 */
export async function findLikelyDuplicates(db: Kysely<Database>, input: { unitId: number; fullName: string; birthYear: number }): Promise<LikelyDuplicate[]> {
	const rows = await db
		.selectFrom('app_user')
		.select(['id', 'full_name', 'birth_year', 'created_at'])
		.where('unit_id', '=', input.unitId)
		.where('birth_year', '=', input.birthYear)
		.where('kind', '=', 'learner')
		.where('deleted_at', 'is', null)
		.execute();
	const name = foldVietnamese(input.fullName);
	return rows
		.filter((r) => r.full_name && foldVietnamese(r.full_name) === name)
		.map((r) => ({ id: r.id, fullName: r.full_name!, birthYear: r.birth_year, registeredAt: r.created_at }));
}

/**
 * Registers a villager of `unitId` for them: name, year of birth, phone number if they have one. Their consent,
 * read out by the team member, is recorded with the text's version, the helper and the time; the helper is kept
 * on the account; the registration is audited. Likely duplicates are returned instead of creating, unless the
 * helper confirmed. Each team member may register THROTTLE.registerHelper people an hour.
 */
export async function registerVillager(db: Kysely<Database>, input: AssistedForm & { unitId: number; helperUserId: number }): Promise<AssistedResult> {
	const fail = (field: AssistedField, message: string) => ({ ok: false, field, message }) as const;
	const fullName = input.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (fullName.length < 2) return fail('fullName', 'Hãy nhập họ và tên của người dân.');
	if (fullName.length > 100) return fail('fullName', 'Họ và tên dài quá: tối đa 100 ký tự.');
	const year = Number(input.birthYear.trim());
	const thisYear = new Date().getFullYear();
	if (!/^\d{4}$/.test(input.birthYear.trim()) || year < 1900 || year > thisYear - 5) {
		return fail('birthYear', `Năm sinh cần 4 chữ số, từ 1900 đến ${thisYear - 5}, ví dụ 1962.`);
	}
	let phone: string | null = null;
	if (input.phone.trim()) {
		const r = normalizePhone(input.phone);
		if (!r.ok) return fail('phone', r.message);
		phone = r.phone;
	}
	if (!input.consent) return fail('consent', 'Hãy đọc cho người dân nghe phần đồng ý ở trên. Chỉ đăng ký khi họ đồng ý.');
	const unit = await db.selectFrom('unit').select('id').where('id', '=', input.unitId).where('valid_to', 'is', null).executeTakeFirst();
	if (!unit) return fail('fullName', 'Đơn vị này không còn hoạt động. Hãy chọn thôn, tổ dân phố hiện nay.');
	if (!input.confirmNew) {
		const duplicates = await findLikelyDuplicates(db, { unitId: input.unitId, fullName, birthYear: year });
		if (duplicates.length) return { ok: false, duplicates };
	}
	const allowed = await consumeAttempt(db, `register-helper:${input.helperUserId}`, THROTTLE.registerHelper);
	if (!allowed.ok) return fail('fullName', tooManyRegistrationsMessage(allowed.waitSeconds));
	if (phone && (await isPhoneTaken(db, phone))) {
		// The helper is a known team member, not a stranger: telling them is what lets them help.
		return fail('phone', 'Số điện thoại này đã có tài khoản. Có thể người này đã đăng ký: hãy tìm trong danh sách và cấp mã lấy lại mật khẩu.');
	}
	try {
		return await db.transaction().execute(async (trx) => {
			const { id } = await trx
				.insertInto('app_user')
				.values({
					kind: 'learner',
					full_name: fullName,
					birth_year: year,
					phone,
					audience: 'citizen',
					unit_id: input.unitId,
					consented_at: sql<Date>`now()`,
					registered_by: input.helperUserId
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx.insertInto('consent_record').values({ user_id: id, helper_user_id: input.helperUserId, text_version: ASSISTED_CONSENT.version }).execute();
			await applyUnitAssignments(trx, { userIds: [id] });
			await writeAudit(trx, {
				actorUserId: input.helperUserId,
				action: 'account.assisted_register',
				unitId: input.unitId,
				targetUserId: id,
				details: { consentVersion: ASSISTED_CONSENT.version }
			});
			return { ok: true as const, userId: id };
		});
	} catch (e) {
		if ((e as { code?: string }).code === '23505') return fail('phone', 'Số điện thoại này vừa được dùng để đăng ký. Hãy tìm người này trong danh sách.');
		throw e;
	}
}
