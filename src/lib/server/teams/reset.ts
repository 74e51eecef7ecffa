import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { checkPasswordPolicy, hashPassword } from '$lib/server/auth/password';
import { invalidateUserSessions } from '$lib/server/auth/session';
import { setPasswordHash } from '$lib/server/auth/user';
import { consumeAttempt, THROTTLE, tooManyTriesMessage } from '$lib/server/auth/throttle';
import { startLoggedInSession, type LoginResult } from '$lib/server/auth/login';
import { hashCode, isPin, newCode, normalizeCode } from './codes';
import { hasActiveCard } from './cards';

/** Reset codes: 10 characters (31^10 ≈ 8·10^14), valid 72 hours, used once. */
export const RESET_CODE_LENGTH = 10;
export const RESET_CODE_HOURS = 72;

export const RESET_CODE_UNKNOWN = 'Mã này không dùng được: có thể đã nhập sai, đã dùng rồi hoặc đã hết hạn (mã lấy lại mật khẩu: 72 giờ; mã đặt mật khẩu lần đầu: 14 ngày). Hãy nhờ tổ công nghệ số cộng đồng hoặc cán bộ phụ trách cấp mã mới.';

/** Setup codes (the first password of an account an official imported): same form, valid 14 days, used once. */
export const SETUP_CODE_DAYS = 14;

/**
 * A one-time reset code for a person, given by a team member or official of their unit who has confirmed who
 * they are face to face. Earlier unused codes of the person stop working. Audited as password.reset_code.
 * Returns the code in clear, once; only its hash is kept.
 */
export async function issueResetCode(
	trx: Transaction<Database>,
	input: { userId: number; actorUserId: number; unitId: number }
): Promise<{ code: string; expiresAt: Date }> {
	return issueCode(trx, { ...input, purpose: 'reset', hours: RESET_CODE_HOURS });
}

/**
 * A one-time setup code for an account an official made (no password yet): the person sets their own password with
 * it on /lay-lai-mat-khau. Earlier unused codes stop working. Audited as password.setup_code.
 */
export async function issueSetupCode(
	trx: Transaction<Database>,
	input: { userId: number; actorUserId: number; unitId: number }
): Promise<{ code: string; expiresAt: Date }> {
	return issueCode(trx, { ...input, purpose: 'setup', hours: SETUP_CODE_DAYS * 24 });
}

async function issueCode(
	trx: Transaction<Database>,
	input: { userId: number; actorUserId: number; unitId: number; purpose: 'reset' | 'setup'; hours: number }
): Promise<{ code: string; expiresAt: Date }> {
	const code = newCode(RESET_CODE_LENGTH);
	const expiresAt = new Date(Date.now() + input.hours * 60 * 60 * 1000);
	await trx.updateTable('password_reset_code').set({ used_at: new Date() }).where('user_id', '=', input.userId).where('used_at', 'is', null).execute();
	await trx
		.insertInto('password_reset_code')
		.values({ user_id: input.userId, code_hash: hashCode(code), issued_by: input.actorUserId, expires_at: expiresAt, purpose: input.purpose })
		.execute();
	await writeAudit(trx, {
		actorUserId: input.actorUserId,
		action: input.purpose === 'setup' ? 'password.setup_code' : 'password.reset_code',
		unitId: input.unitId,
		targetUserId: input.userId,
		details: { expiresAt: expiresAt.toISOString() }
	});
	return { code, expiresAt };
}

/** The person a usable (unused, unexpired) reset code belongs to, with what they will set: a PIN or a password. */
export async function findResetCode(db: Kysely<Database>, codeInput: string) {
	const code = normalizeCode(codeInput, RESET_CODE_LENGTH);
	if (!code) return undefined;
	const row = await db
		.selectFrom('password_reset_code as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['r.id', 'r.user_id', 'r.purpose', 'u.full_name', 'u.unit_id'])
		.where('r.code_hash', '=', hashCode(code))
		.where('r.used_at', 'is', null)
		.where('r.expires_at', '>', sql<Date>`now()`)
		.where('u.deleted_at', 'is', null)
		.executeTakeFirst();
	return row && { ...row, code, setsPin: await hasActiveCard(db, row.user_id) };
}

export type ResetResult = LoginResult | { ok: false; field: 'code' | 'password' | 'password_repeat'; message: string };

/**
 * Uses a reset code: sets the new password (or, for someone with a login card, the card's new PIN), ends every
 * session of the person, marks the code used (in one transaction, so a code works once even when sent twice at
 * the same moment), and starts a session on this device. Tries are limited per address. Audited.
 */
export async function redeemResetCode(
	db: Kysely<Database>,
	input: { code: string; secret: string; secretRepeat: string; address: string; guestId?: number | null }
): Promise<ResetResult> {
	const allowed = await consumeAttempt(db, `reset:${input.address}`, THROTTLE.resetCode);
	if (!allowed.ok) return { ok: false, field: 'code', message: tooManyTriesMessage(allowed.waitSeconds) };
	const found = await findResetCode(db, input.code);
	if (!found) return { ok: false, field: 'code', message: RESET_CODE_UNKNOWN };
	if (found.setsPin) {
		if (!isPin(input.secret)) return { ok: false, field: 'password', message: 'Mã PIN gồm đúng 6 chữ số. Hãy nhập lại.' };
	} else {
		const policy = checkPasswordPolicy(input.secret);
		if (policy) return { ok: false, field: 'password', message: policy };
	}
	if (input.secret !== input.secretRepeat) return { ok: false, field: 'password_repeat', message: 'Hai lần nhập chưa giống nhau. Hãy nhập lại.' };
	const newHash = await hashPassword(input.secret);
	let used = false;
	const result = await startLoggedInSession(db, { accountId: found.user_id, guestId: input.guestId, also: async (trx) => {
		const claimed = await trx
			.updateTable('password_reset_code')
			.set({ used_at: sql<Date>`now()` })
			.where('id', '=', found.id)
			.where('used_at', 'is', null)
			.returning('id')
			.executeTakeFirst();
		if (!claimed) throw new CodeAlreadyUsed();
		used = true;
		if (found.setsPin) {
			await trx.updateTable('login_card').set({ pin_hash: newHash }).where('user_id', '=', found.user_id).where('revoked_at', 'is', null).execute();
		} else {
			await setPasswordHash(trx, found.user_id, newHash);
		}
		await invalidateUserSessions(trx, found.user_id);
		// The person starts afresh: failures at their account or card no longer slow them down.
		const keys = await throttleKeysOf(trx, found.user_id);
		if (keys.length) await trx.deleteFrom('login_throttle').where('key', 'in', keys).execute();
		await writeAudit(trx, { actorUserId: found.user_id, action: found.purpose === 'setup' ? 'password.setup_used' : 'password.reset_used', unitId: found.unit_id, targetUserId: found.user_id });
	} }).catch((e) => {
		if (e instanceof CodeAlreadyUsed) return null;
		throw e;
	});
	if (!result || !used) return { ok: false, field: 'code', message: RESET_CODE_UNKNOWN };
	return { ok: true, userId: found.user_id, token: result.token, session: result.session };
}

class CodeAlreadyUsed extends Error {}

/** The throttle keys under which failures at the person's account (from unknown devices) and cards were counted. */
async function throttleKeysOf(trx: Transaction<Database>, userId: number): Promise<string[]> {
	const u = await trx.selectFrom('app_user').select(['phone', 'username']).where('id', '=', userId).executeTakeFirstOrThrow();
	const cards = await trx.selectFrom('login_card').select('id').where('user_id', '=', userId).execute();
	return [
		...[u.phone, u.username].filter((x): x is string => !!x).map((x) => `account:${x}`),
		...cards.map((c) => `card:${c.id}`)
	];
}
