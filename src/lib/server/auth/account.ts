import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password';
import { checkLoginRateLimit, recordLoginFailure } from './rate-limit';
import { invalidateUserSessions } from './session';
import { anonymizeUser, getPasswordHash, setPasswordHash } from './user';

export type AccountResult = { ok: true } | { ok: false; field: string; message: string };

const WRONG_CURRENT = 'Mật khẩu hiện tại chưa đúng. Hãy nhập lại.';

/**
 * Checks the password of a logged-in person before a sensitive change. Wrong guesses count toward the same
 * limits as logins (under the account's id), so a borrowed phone cannot be used to guess the password.
 */
async function confirmPassword(db: Kysely<Database>, userId: number, password: string, address: string, field: string): Promise<AccountResult> {
	const subjects = { account: `user:${userId}`, address };
	const limit = await checkLoginRateLimit(db, subjects);
	if (!limit.ok) return { ok: false, field, message: limit.message };
	const hash = await getPasswordHash(db, userId);
	if (hash && (await verifyPassword(hash, password))) return { ok: true };
	await recordLoginFailure(db, subjects);
	return { ok: false, field, message: WRONG_CURRENT };
}

/** Sets a new password after checking the current one; every other session of the person is ended. */
export async function changePassword(
	db: Kysely<Database>,
	input: { userId: number; sessionId: string; current: string; password: string; passwordRepeat: string; address: string }
): Promise<AccountResult> {
	const policy = checkPasswordPolicy(input.password);
	if (policy) return { ok: false, field: 'password', message: policy };
	if (input.password !== input.passwordRepeat) return { ok: false, field: 'password_repeat', message: 'Hai mật khẩu mới chưa giống nhau. Hãy nhập lại.' };
	const confirmed = await confirmPassword(db, input.userId, input.current, input.address, 'current_password');
	if (!confirmed.ok) return confirmed;
	const hash = await hashPassword(input.password);
	await db.transaction().execute(async (trx) => {
		await setPasswordHash(trx, input.userId, hash);
		await invalidateUserSessions(trx, input.userId, input.sessionId);
	});
	return { ok: true };
}

/** Deletes the person's account after checking their password: see anonymizeUser for what stays. */
export async function deleteAccount(db: Kysely<Database>, input: { userId: number; password: string; address: string }): Promise<AccountResult> {
	const confirmed = await confirmPassword(db, input.userId, input.password, input.address, 'delete_password');
	if (!confirmed.ok) return { ...confirmed, message: confirmed.message === WRONG_CURRENT ? 'Mật khẩu chưa đúng. Tài khoản chưa bị xóa.' : confirmed.message };
	await db.transaction().execute((trx) => anonymizeUser(trx, input.userId));
	return { ok: true };
}
