import type { Kysely, Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { lockLearners } from '$lib/server/learning/lock';
import { mergeLearnerData } from '$lib/server/learning/merge';
import { looksLikePhone, normalizePhone } from './phone';
import { hashPassword, PASSWORD_VERSION, verifyDummyPassword, verifyPassword } from './password';
import { deviceThrottleKey, type DeviceEntry } from './device';
import { clearAttempts, consumeAttempts, returnAttempt, THROTTLE, tooManyTriesMessage } from './throttle';
import { createSession, generateSessionToken, type Session } from './session';
import { findLoginAccount, normalizeUsername, setPasswordHash } from './user';

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
 * Checks a phone number or username and password, within the throttling limits. On success, a visitor who was a
 * guest (guestId) has their progress moved to the account and the guest row removed, in the same transaction
 * that creates the new session.
 *
 * Throttling (OWASP's device-cookie scheme, with slow-downs instead of lockouts): from a device where the account
 * logged in before (`device`, read from the signed device cookie) tries are counted for that device only, so a
 * stranger's failures elsewhere never slow the owner down there; from any other device they are counted for the
 * account and for the network address. Every try is counted before the password is checked, so concurrent
 * requests cannot get more checks than the limit allows.
 */
export async function loginWithPassword(
	db: Kysely<Database>,
	input: { identifier: string; password: string; address: string; guestId?: number | null; device?: DeviceEntry[] }
): Promise<LoginResult> {
	const { by, subject } = readLoginIdentifier(input.identifier);
	const account = by ? await findLoginAccount(db, by) : undefined;
	const known = account && input.device?.find((e) => e.userId === account.id);
	const keys = known
		? [{ key: deviceThrottleKey(known), policy: THROTTLE.device }]
		: [
				{ key: `address:${input.address}`, policy: THROTTLE.address },
				{ key: `account:${subject}`, policy: THROTTLE.account }
			];
	const allowed = await consumeAttempts(db, keys);
	if (!allowed.ok) return { ok: false, message: tooManyTriesMessage(allowed.waitSeconds) };

	const valid = account?.password_hash
		? await verifyPassword(account.password_hash, input.password, account.password_version)
		: await verifyDummyPassword(input.password);
	if (!account || !valid) return { ok: false, message: WRONG_LOGIN_MESSAGE };

	if (known) {
		await clearAttempts(db, deviceThrottleKey(known));
	} else {
		await clearAttempts(db, `account:${subject}`);
		await returnAttempt(db, `address:${input.address}`);
	}
	const rehash = account.password_version < PASSWORD_VERSION ? await hashPassword(input.password) : null;
	const { token, session } = await startLoggedInSession(db, { accountId: account.id, guestId: input.guestId, rehash });
	return { ok: true, userId: account.id, token, session };
}

/**
 * The part of a login after the identity was proven (password, card PIN, reset code), in one transaction: a newer
 * password hash stored, `also` run (what the login changes besides), the guest's progress (guestId) moved to the
 * account and the guest removed, a new session for the account.
 */
export async function startLoggedInSession(
	db: Kysely<Database>,
	input: { accountId: number; guestId?: number | null; rehash?: string | null; also?: (trx: Transaction<Database>) => Promise<void> }
): Promise<{ token: string; session: Session }> {
	const token = generateSessionToken();
	const session = await db.transaction().execute(async (trx) => {
		const { accountId, guestId } = input;
		if (guestId && guestId !== accountId) {
			// Learner locks before any row of either user (the order a quiz submission takes them in).
			await lockLearners(trx, [guestId, accountId]);
		}
		if (input.rehash) await setPasswordHash(trx, accountId, input.rehash);
		if (input.also) await input.also(trx);
		if (guestId && guestId !== accountId) {
			const guest = await trx.selectFrom('app_user').select('id').where('id', '=', guestId).where('kind', '=', 'guest').forUpdate().executeTakeFirst();
			if (guest) {
				await mergeLearnerData(trx, guestId, accountId);
				await trx.deleteFrom('app_user').where('id', '=', guestId).where('kind', '=', 'guest').execute();
			}
		}
		return createSession(trx, token, accountId);
	});
	return { token, session };
}
