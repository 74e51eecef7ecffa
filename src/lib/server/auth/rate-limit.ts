import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Failed logins allowed in a sliding window, per account (phone or username typed, whether it exists or not)
 * and per client address. Kept in the database so every app process sees the same counts.
 */
export const LOGIN_LIMITS = {
	account: { max: 5, windowMinutes: 15 },
	address: { max: 30, windowMinutes: 15 }
} as const;

export interface LoginSubjects {
	/** Normalised phone number or username. */
	account: string;
	/** Client IP address. */
	address: string;
}

export type RateLimitResult = { ok: true } | { ok: false; retryAfterMinutes: number; message: string };

export function tooManyFailuresMessage(minutes: number): string {
	return `Bạn đã đăng nhập sai quá nhiều lần. Hãy thử lại sau ${minutes} phút.`;
}

/**
 * Whether a login may be tried now. When a limit is reached, says in how many whole minutes (at least 1) enough
 * failures will have left the window for the next try to be allowed.
 */
export async function checkLoginRateLimit(db: Db, subjects: LoginSubjects): Promise<RateLimitResult> {
	let wait = 0;
	for (const scope of ['account', 'address'] as const) {
		const { max, windowMinutes } = LOGIN_LIMITS[scope];
		const window = sql.lit(`${windowMinutes} minutes`);
		// The max-th most recent failure in the window: once it leaves the window, fewer than max remain.
		const row = await db
			.selectFrom('login_attempt')
			.select(sql<number>`extract(epoch from (created_at + interval ${window} - now()))::float8`.as('seconds'))
			.where('scope', '=', scope)
			.where('subject', '=', subjects[scope])
			.where('created_at', '>', sql<Date>`now() - interval ${window}`)
			.orderBy('created_at', 'desc')
			.offset(max - 1)
			.limit(1)
			.executeTakeFirst();
		if (row) wait = Math.max(wait, Math.max(1, Math.ceil(Number(row.seconds) / 60)));
	}
	return wait ? { ok: false, retryAfterMinutes: wait, message: tooManyFailuresMessage(wait) } : { ok: true };
}

export async function recordLoginFailure(db: Db, subjects: LoginSubjects): Promise<void> {
	await db
		.insertInto('login_attempt')
		.values([
			{ scope: 'account', subject: subjects.account },
			{ scope: 'address', subject: subjects.address }
		])
		.execute();
	// Old rows no longer count toward any window.
	await db.deleteFrom('login_attempt').where('created_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** After a successful login the account starts afresh; the address keeps its count. */
export async function clearAccountFailures(db: Db, account: string): Promise<void> {
	await db.deleteFrom('login_attempt').where('scope', '=', 'account').where('subject', '=', account).execute();
}
