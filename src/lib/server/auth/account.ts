import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password';
import { clearAttempts, consumeAttempt, THROTTLE, tooManyTriesMessage } from './throttle';
import { invalidateUserSessions } from './session';
import { anonymizeUser, getPasswordHash, setPasswordHash } from './user';

export type AccountResult = { ok: true } | { ok: false; field: string; message: string };

const WRONG_CURRENT = 'Mật khẩu hiện tại chưa đúng. Hãy nhập lại.';

/**
 * Checks the password of a logged-in person before a sensitive change. Tries are slowed down as logins are
 * (under the account's id), so a borrowed phone cannot be used to guess the password.
 */
async function confirmPassword(db: Kysely<Database>, userId: number, password: string, field: string): Promise<AccountResult> {
	const key = `confirm:${userId}`;
	const allowed = await consumeAttempt(db, key, THROTTLE.account);
	if (!allowed.ok) return { ok: false, field, message: tooManyTriesMessage(allowed.waitSeconds) };
	const stored = await getPasswordHash(db, userId);
	if (!stored || !(await verifyPassword(stored.hash, password, stored.version))) return { ok: false, field, message: WRONG_CURRENT };
	await clearAttempts(db, key);
	return { ok: true };
}

/** Sets a new password after checking the current one; every other session of the person is ended. */
export async function changePassword(
	db: Kysely<Database>,
	input: { userId: number; sessionId: string; current: string; password: string; passwordRepeat: string }
): Promise<AccountResult> {
	const policy = checkPasswordPolicy(input.password);
	if (policy) return { ok: false, field: 'password', message: policy };
	if (input.password !== input.passwordRepeat) return { ok: false, field: 'password_repeat', message: 'Hai mật khẩu mới chưa giống nhau. Hãy nhập lại.' };
	const confirmed = await confirmPassword(db, input.userId, input.current, 'current_password');
	if (!confirmed.ok) return confirmed;
	const hash = await hashPassword(input.password);
	await db.transaction().execute(async (trx) => {
		await setPasswordHash(trx, input.userId, hash);
		await invalidateUserSessions(trx, input.userId, input.sessionId);
	});
	return { ok: true };
}

/** Deletes the person's account after checking their password: see anonymizeUser for what stays. */
export async function deleteAccount(db: Kysely<Database>, input: { userId: number; password: string }): Promise<AccountResult> {
	const confirmed = await confirmPassword(db, input.userId, input.password, 'delete_password');
	if (!confirmed.ok) return { ...confirmed, message: confirmed.message === WRONG_CURRENT ? 'Mật khẩu chưa đúng. Tài khoản chưa bị xóa.' : confirmed.message };
	await db.transaction().execute((trx) => anonymizeUser(trx, input.userId));
	return { ok: true };
}
