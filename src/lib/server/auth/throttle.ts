import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * How attempts under one key are slowed down: the first `free` attempts go through at once; after that each
 * attempt must wait `baseSeconds`, doubling with every further attempt up to `capSeconds` (a slow-down, never a
 * lockout). A key left alone for `resetSeconds` starts afresh.
 */
export interface ThrottlePolicy {
	free: number;
	baseSeconds: number;
	capSeconds: number;
	resetSeconds: number;
}

const DAY = 24 * 60 * 60;

/**
 * New accounts per hour from one network address (HOCSO_REGISTRATIONS_PER_HOUR, default 20). Raise it where
 * many people register through one address: a registration day on a commune office's network.
 */
function registrationsPerHour(): number {
	const n = Number(process.env.HOCSO_REGISTRATIONS_PER_HOUR);
	return Number.isInteger(n) && n > 0 ? n : 20;
}

/**
 * Visitors who become guests (their first passed quiz or finished lesson) per hour from one network address
 * (HOCSO_GUESTS_PER_HOUR, default 60). Behind one office or carrier address many real people share it: raise it there.
 */
function guestsPerHour(): number {
	const n = Number(process.env.HOCSO_GUESTS_PER_HOUR);
	return Number.isInteger(n) && n > 0 ? n : 60;
}

export const THROTTLE = {
	/** Password tries at one account from devices that never logged in to it. */
	account: { free: 5, baseSeconds: 30, capSeconds: 15 * 60, resetSeconds: DAY },
	/** Password tries at one account from one device where it logged in before (its signed device cookie). */
	device: { free: 5, baseSeconds: 30, capSeconds: 15 * 60, resetSeconds: DAY },
	/** PIN tries on one login card from devices where its owner never logged in. */
	card: { free: 5, baseSeconds: 30, capSeconds: 15 * 60, resetSeconds: DAY },
	/** Reset codes tried from one network address. */
	resetCode: { free: 10, baseSeconds: 30, capSeconds: 15 * 60, resetSeconds: DAY },
	/** Password tries from one network address, at any account, from unknown devices. */
	address: { free: 30, baseSeconds: 30, capSeconds: 15 * 60, resetSeconds: 60 * 60 },
	/** New accounts created from one network address. */
	register: { free: registrationsPerHour(), baseSeconds: 60 * 60, capSeconds: 60 * 60, resetSeconds: 60 * 60 },
	/** New guests (a visitor's first kept progress) from one network address. */
	guest: { free: guestsPerHour(), baseSeconds: 60 * 60, capSeconds: 60 * 60, resetSeconds: 60 * 60 },
	/** New accounts created by one logged-in community team member. */
	registerHelper: { free: 200, baseSeconds: 60 * 60, capSeconds: 60 * 60, resetSeconds: 60 * 60 }
} as const satisfies Record<string, ThrottlePolicy>;

export type ThrottleResult = { ok: true } | { ok: false; waitSeconds: number };

/** Seconds an attempt must wait after the last one when `attempts` were already made (SQL, on the row `t`). */
function waitSql(p: ThrottlePolicy) {
	return sql<number>`case when t.attempts < ${p.free} then 0
		else least(${p.capSeconds}::float8, ${p.baseSeconds}::float8 * power(2::float8, t.attempts - ${p.free})) end`;
}

/**
 * Records an attempt under `key` before the thing it guards is checked, and says whether it may go ahead.
 * Counting first (as the Lucia guide's throttler does) means concurrent requests cannot all pass a check that
 * each of them made before any was counted: the row is locked by the upsert, and its condition is evaluated on
 * the latest version. A refused attempt is not counted.
 */
export async function consumeAttempt(db: Db, key: string, p: ThrottlePolicy): Promise<ThrottleResult> {
	// clock_timestamp(), not now(): inside a transaction now() is when it began, which may be before a concurrent
	// attempt that this one waited for was counted.
	const reset = sql`clock_timestamp() - make_interval(secs => ${p.resetSeconds})`;
	const row = await sql<{ attempts: number }>`
		insert into login_throttle as t (key, attempts, last_at) values (${key}, 1, clock_timestamp())
		on conflict (key) do update set
			attempts = case when t.last_at <= ${reset} then 1 else t.attempts + 1 end,
			last_at = clock_timestamp()
		where t.attempts < ${p.free} or t.last_at <= ${reset} or t.last_at + make_interval(secs => ${waitSql(p)}) <= clock_timestamp()
		returning attempts`.execute(db);
	if (row.rows.length) return { ok: true };
	const wait = await sql<{ seconds: number }>`
		select extract(epoch from (t.last_at + make_interval(secs => ${waitSql(p)}) - clock_timestamp()))::float8 as seconds
		from login_throttle t where t.key = ${key}`.execute(db);
	return { ok: false, waitSeconds: Math.max(1, Math.ceil(Number(wait.rows[0]?.seconds ?? 1))) };
}

/**
 * Consumes several keys as one: all are counted or none (the first refusal rolls the others back). Keys are
 * taken in the order given; callers use one order everywhere so that two requests never wait on each other.
 */
export async function consumeAttempts(db: Kysely<Database>, keys: { key: string; policy: ThrottlePolicy }[]): Promise<ThrottleResult> {
	class Refused extends Error {
		constructor(readonly result: ThrottleResult) {
			super('refused');
		}
	}
	try {
		return await db.transaction().execute(async (trx) => {
			for (const { key, policy } of keys) {
				const r = await consumeAttempt(trx, key, policy);
				if (!r.ok) throw new Refused(r);
			}
			return { ok: true } as const;
		});
	} catch (e) {
		if (e instanceof Refused) return e.result;
		throw e;
	}
}

/** The key starts afresh (a successful login on an account or device). Old rows of every key are removed. */
export async function clearAttempts(db: Db, key: string): Promise<void> {
	await db.deleteFrom('login_throttle').where('key', '=', key).execute();
	await db.deleteFrom('login_throttle').where('last_at', '<', sql<Date>`now() - interval '2 days'`).execute();
}

/** Takes back one attempt that turned out to be legitimate (a correct login counted against its address). */
export async function returnAttempt(db: Db, key: string): Promise<void> {
	await db
		.updateTable('login_throttle')
		.set({ attempts: sql<number>`greatest(attempts - 1, 0)` })
		.where('key', '=', key)
		.execute();
}

/** "30 giây", "2 phút": how long to wait, in words. */
export function waitInWords(seconds: number): string {
	return seconds < 60 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`;
}

export function tooManyTriesMessage(waitSeconds: number): string {
	return `Đã thử sai nhiều lần. Để giữ an toàn cho tài khoản, hãy chờ ${waitInWords(waitSeconds)} rồi thử lại.`;
}
