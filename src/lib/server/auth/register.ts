import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { parseId } from '$lib/ids';
import { lockLearner } from '$lib/server/learning/lock';
import { issuePendingRecords } from '$lib/server/learning/records';
import { normalizePhone } from './phone';
import { checkPasswordPolicy, hashPassword, PASSWORD_VERSION } from './password';
import { consumeAttempt, waitInWords, type ThrottlePolicy } from './throttle';
import { createSession, generateSessionToken, invalidateUserSessions, type Session } from './session';
import { AUDIENCES, isPhoneTaken, isUsernameTaken, normalizeUsername, USERNAME_MESSAGE, type Audience } from './user';
import { applyUnitAssignments } from '$lib/server/bulk/unit-assignments';

/** What the registration form sends, as typed. */
export interface RegistrationForm {
	fullName: string;
	phone: string;
	username: string;
	password: string;
	passwordRepeat: string;
	audience: string;
	unitId: string;
	consent: boolean;
}

export interface Registration {
	fullName: string;
	phone: string | null;
	username: string | null;
	password: string;
	audience: Audience;
	unitId: number | null;
}

/** The form field a message is about, so the page can point at it. */
export type RegistrationField = keyof RegistrationForm;

export type RegistrationCheck = { ok: true; value: Registration } | { ok: false; field: RegistrationField; message: string };

/**
 * Said when the phone number already has an account. It does not say so outright to whoever typed it: it points
 * to logging in and to getting back in, which is what the owner needs (the page adds both links).
 */
export const PHONE_TAKEN =
	'Chưa đăng ký được bằng số điện thoại này. Nếu bạn đã từng đăng ký, hãy đăng nhập; nếu quên mật khẩu, hãy xem cách lấy lại ở trang đăng nhập.';
const USERNAME_TAKEN = 'Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.';

export function tooManyRegistrationsMessage(waitSeconds: number): string {
	return `Đã có nhiều tài khoản được tạo từ mạng này. Hãy thử lại sau ${waitInWords(waitSeconds)}, hoặc nhờ thành viên tổ công nghệ số cộng đồng đăng ký giúp.`;
}

/**
 * Checks a registration form; the first problem found is returned with a message saying what to do. With
 * `allowance`, a form that is complete and well formed uses up one registration of that throttle key before the
 * phone number and username are looked up, so nobody can test many numbers quickly.
 */
export async function checkRegistration(
	db: Kysely<Database>,
	form: RegistrationForm,
	allowance?: { key: string; policy: ThrottlePolicy }
): Promise<RegistrationCheck> {
	const fail = (field: RegistrationField, message: string) => ({ ok: false, field, message }) as const;
	const fullName = form.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (fullName.length < 2) return fail('fullName', 'Hãy nhập họ và tên của bạn.');
	if (fullName.length > 100) return fail('fullName', 'Họ và tên dài quá: tối đa 100 ký tự.');

	let phone: string | null = null;
	let username: string | null = null;
	if (!form.phone.trim() && !form.username.trim()) {
		return fail('phone', 'Hãy nhập số điện thoại, hoặc một tên đăng nhập nếu bạn không có số điện thoại.');
	}
	if (form.phone.trim()) {
		const r = normalizePhone(form.phone);
		if (!r.ok) return fail('phone', r.message);
		phone = r.phone;
	}
	if (form.username.trim()) {
		username = normalizeUsername(form.username);
		if (!username) return fail('username', USERNAME_MESSAGE);
	}

	const policy = checkPasswordPolicy(form.password);
	if (policy) return fail('password', policy);
	if (form.password !== form.passwordRepeat) return fail('passwordRepeat', 'Hai mật khẩu bạn nhập chưa giống nhau. Hãy nhập lại.');

	if (!AUDIENCES.includes(form.audience as Audience)) return fail('audience', 'Hãy chọn bạn là ai: người dân, cán bộ hay thành viên tổ công nghệ số cộng đồng.');
	const audience = form.audience as Audience;

	let unitId: number | null = null;
	if (form.unitId) {
		unitId = parseId(form.unitId);
		const unit =
			unitId === null ? undefined : await db.selectFrom('unit').select('id').where('id', '=', unitId).where('valid_to', 'is', null).executeTakeFirst();
		if (!unit) return fail('unitId', 'Không tìm thấy đơn vị bạn chọn. Hãy tìm và chọn lại xã, phường của bạn.');
	} else if (audience !== 'citizen') {
		return fail('unitId', 'Hãy tìm và chọn đơn vị (xã, phường hoặc tỉnh) nơi bạn công tác hoặc sinh hoạt.');
	}

	if (!form.consent) return fail('consent', 'Hãy đọc và đánh dấu ô đồng ý xử lý dữ liệu cá nhân để đăng ký.');
	if (allowance) {
		const allowed = await consumeAttempt(db, allowance.key, allowance.policy);
		if (!allowed.ok) return fail('phone', tooManyRegistrationsMessage(allowed.waitSeconds));
	}
	if (phone && (await isPhoneTaken(db, phone))) return fail('phone', PHONE_TAKEN);
	if (username && (await isUsernameTaken(db, username))) return fail('username', USERNAME_TAKEN);
	return { ok: true, value: { fullName, phone, username, password: form.password, audience, unitId } };
}

export type RegistrationResult = { ok: true; userId: number; token: string; session: Session } | { ok: false; field: RegistrationField; message: string };

function isUniqueViolation(e: unknown, column: string): boolean {
	const err = e as { code?: string; constraint?: string; message?: string };
	return err?.code === '23505' && `${err.constraint ?? ''} ${err.message ?? ''}`.includes(column);
}

/**
 * Creates a learner account, or turns the visitor's guest row into one (same id, so everything the guest did
 * stays theirs, and courses they completed get their records in the same transaction), and starts a new session
 * for it. Any earlier session of the guest is ended.
 */
export async function registerLearner(db: Kysely<Database>, reg: Registration, guestId?: number | null): Promise<RegistrationResult> {
	return saveRegistration(db, reg, await hashPassword(reg.password), guestId);
}

/** registerLearner once the password is hashed (hashing takes a while: it is done before the transaction). */
export async function saveRegistration(db: Kysely<Database>, reg: Registration, passwordHash: string, guestId?: number | null): Promise<RegistrationResult> {
	const values = {
		kind: 'learner' as const,
		full_name: reg.fullName,
		phone: reg.phone,
		username: reg.username,
		password_hash: passwordHash,
		password_version: PASSWORD_VERSION,
		audience: reg.audience,
		unit_id: reg.unitId,
		consented_at: new Date()
	};
	const token = generateSessionToken();
	try {
		return await db.transaction().execute(async (trx) => {
			let userId: number | undefined;
			if (guestId) {
				// The learner lock before the row update (the order a quiz submission takes them in). A quiz the guest
				// submits at this moment either finishes first (and its course is counted below) or waits and sees
				// the account.
				await lockLearner(trx, guestId);
				const upgraded = await trx
					.updateTable('app_user')
					.set(values)
					.where('id', '=', guestId)
					.where('kind', '=', 'guest')
					.returning('id')
					.executeTakeFirst();
				userId = upgraded?.id;
				if (userId) {
					await invalidateUserSessions(trx, userId);
					// Guests get no records: a course finished as a guest gets its record now, with the unit just chosen.
					await issuePendingRecords(trx, userId);
				}
			}
			userId ??= (await trx.insertInto('app_user').values(values).returning('id').executeTakeFirstOrThrow()).id;
			// Courses given to everyone of the unit (and so to those who join it) reach the new account at once.
			await applyUnitAssignments(trx, { userIds: [userId] });
			const session = await createSession(trx, token, userId);
			return { ok: true as const, userId, token, session };
		});
	} catch (e) {
		// Someone else took the phone number or username between the check and the insert.
		if (isUniqueViolation(e, 'phone')) return { ok: false, field: 'phone', message: PHONE_TAKEN };
		if (isUniqueViolation(e, 'username')) return { ok: false, field: 'username', message: USERNAME_TAKEN };
		throw e;
	}
}
