import type { Kysely, Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { hashPassword, verifyDummyPassword, verifyPassword } from '$lib/server/auth/password';
import { deviceThrottleKey, type DeviceEntry } from '$lib/server/auth/device';
import { clearAttempts, consumeAttempts, returnAttempt, THROTTLE, tooManyTriesMessage } from '$lib/server/auth/throttle';
import { startLoggedInSession, type LoginResult } from '$lib/server/auth/login';
import { newCode, newPin, normalizeCode } from './codes';

type Db = Kysely<Database> | Transaction<Database>;

/** Login card codes: 8 characters of the record-code alphabet (31^8 ≈ 8.5·10^11), printed as XXXX-XXXX. */
export const CARD_CODE_LENGTH = 8;

export const WRONG_PIN_MESSAGE = 'Mã thẻ hoặc mã PIN chưa đúng. Hãy xem lại thẻ rồi nhập lại 6 chữ số.';

/**
 * A new login card for a person: a new code and a new 6-digit PIN. Their earlier card stops working at once.
 * Returns the PIN in clear, once, to be printed; only its hash is kept. Audited as card.issue.
 */
export async function issueLoginCard(
	trx: Transaction<Database>,
	input: { userId: number; actorUserId: number; unitId: number }
): Promise<{ code: string; pin: string }> {
	const pin = newPin();
	const pinHash = await hashPassword(pin);
	await trx.updateTable('login_card').set({ revoked_at: new Date() }).where('user_id', '=', input.userId).where('revoked_at', 'is', null).execute();
	let code = '';
	for (;;) {
		code = newCode(CARD_CODE_LENGTH);
		const row = await trx
			.insertInto('login_card')
			.values({ user_id: input.userId, code, pin_hash: pinHash, issued_by: input.actorUserId })
			.onConflict((oc) => oc.column('code').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (row) break;
	}
	await writeAudit(trx, { actorUserId: input.actorUserId, action: 'card.issue', unitId: input.unitId, targetUserId: input.userId });
	return { code, pin };
}

/** The active card of a code (typed or from the QR), with its owner's first name for the PIN page. */
export async function findActiveCard(db: Db, codeInput: string) {
	const code = normalizeCode(codeInput, CARD_CODE_LENGTH);
	if (!code) return undefined;
	return db
		.selectFrom('login_card as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.select(['c.id', 'c.code', 'c.user_id', 'c.pin_hash', 'u.full_name'])
		.where('c.code', '=', code)
		.where('c.revoked_at', 'is', null)
		.where('u.deleted_at', 'is', null)
		.executeTakeFirst();
}

/** Whether the person has a working login card (a PIN to log in with). */
export async function hasActiveCard(db: Db, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('login_card').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst());
}

/**
 * Logs in with a card code and PIN. PIN tries are counted before checking, per card (or, from a device where the
 * card's owner logged in before, per device) and per address, as password tries are.
 */
export async function loginWithCard(
	db: Kysely<Database>,
	input: { code: string; pin: string; address: string; guestId?: number | null; device?: DeviceEntry[] }
): Promise<LoginResult> {
	const card = await findActiveCard(db, input.code);
	const known = card && input.device?.find((e) => e.userId === card.user_id);
	const keys = known
		? [{ key: deviceThrottleKey(known), policy: THROTTLE.device }]
		: [
				{ key: `address:${input.address}`, policy: THROTTLE.address },
				{ key: card ? `card:${card.id}` : `card-code:${input.code.slice(0, 16)}`, policy: THROTTLE.card }
			];
	const allowed = await consumeAttempts(db, keys);
	if (!allowed.ok) return { ok: false, message: tooManyTriesMessage(allowed.waitSeconds) };
	const valid = card ? await verifyPassword(card.pin_hash, input.pin) : await verifyDummyPassword(input.pin);
	if (!card || !valid) return { ok: false, message: WRONG_PIN_MESSAGE };
	if (known) {
		await clearAttempts(db, deviceThrottleKey(known));
	} else {
		await clearAttempts(db, `card:${card.id}`);
		await returnAttempt(db, `address:${input.address}`);
	}
	const { token, session } = await startLoggedInSession(db, { accountId: card.user_id, guestId: input.guestId });
	return { ok: true, userId: card.user_id, token, session };
}
