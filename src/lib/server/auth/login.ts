import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { mergeLearnerData } from '$lib/server/learning/merge';
import { looksLikePhone, normalizePhone } from './phone';
import { verifyDummyPassword, verifyPassword } from './password';
import { checkLoginRateLimit, clearAccountFailures, recordLoginFailure } from './rate-limit';
import { createSession, generateSessionToken, type Session } from './session';
import { findLoginAccount, normalizeUsername } from './user';

export const WRONG_LOGIN_MESSAGE = 'Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng. Hãy kiểm tra rồi thử lại.';

export type LoginResult = { ok: true; userId: number; token: string; session: Session } | { ok: false; message: string };

/** How a "phone or username" box is looked up, and the key its failures are counted under. */
export function readLoginIdentifier(input: string): { by: { phone: string } | { username: string } | null; subject: string } {
	if (looksLikePhone(input)) {
		const r = normalizePhone(input);
		return r.ok ? { by: { phone: r.phone }, subject: r.phone } : { by: null, subject: input.replace(/\D/g, '') };
	}
	const username = normalizeUsername(input);
	return username ? { by: { username }, subject: username } : { by: null, subject: input.trim().toLowerCase().slice(0, 64) };
}

/**
 * Checks a phone number or username and password, within the failure limits. On success, a visitor who was a
 * guest (guestId) has their progress moved to the account and the guest row removed, in the same transaction
 * that creates the new session.
 */
export async function loginWithPassword(
	db: Kysely<Database>,
	input: { identifier: string; password: string; address: string; guestId?: number | null }
): Promise<LoginResult> {
	const { by, subject } = readLoginIdentifier(input.identifier);
	const subjects = { account: subject, address: input.address };
	const limit = await checkLoginRateLimit(db, subjects);
	if (!limit.ok) return { ok: false, message: limit.message };

	const account = by ? await findLoginAccount(db, by) : undefined;
	const valid = account?.password_hash ? await verifyPassword(account.password_hash, input.password) : await verifyDummyPassword(input.password);
	if (!account || !valid) {
		await recordLoginFailure(db, subjects);
		const after = await checkLoginRateLimit(db, subjects);
		return { ok: false, message: after.ok ? WRONG_LOGIN_MESSAGE : after.message };
	}

	await clearAccountFailures(db, subject);
	const token = generateSessionToken();
	const session = await db.transaction().execute(async (trx) => {
		const guestId = input.guestId;
		if (guestId && guestId !== account.id) {
			const guest = await trx.selectFrom('app_user').select('id').where('id', '=', guestId).where('kind', '=', 'guest').forUpdate().executeTakeFirst();
			if (guest) {
				await mergeLearnerData(trx, guestId, account.id);
				await trx.deleteFrom('app_user').where('id', '=', guestId).where('kind', '=', 'guest').execute();
			}
		}
		return createSession(trx, token, account.id);
	});
	return { ok: true, userId: account.id, token, session };
}
