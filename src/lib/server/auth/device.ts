import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Cookies } from '@sveltejs/kit';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '$lib/server/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

// Device cookies, as OWASP's "Slow Down Online Guessing Attacks with Device Cookies" describes: after a person
// logs in on a device, the device keeps a signed note "user N logged in here" (with a random nonce). Failed
// logins from that device are counted under its nonce, so failures made elsewhere by a stranger never slow the
// owner down on their own phone. One cookie holds the notes of the last few people who logged in on the device
// (a family sharing one phone): "Đổi người học" lists them.

export const DEVICE_COOKIE = 'device';
/** People remembered per device. */
export const DEVICE_MAX_ENTRIES = 6;
const DEVICE_DAYS = 400;

export interface DeviceEntry {
	userId: number;
	nonce: string;
}

const keys = new WeakMap<object, Promise<Buffer>>();

/** The signing key: 32 random bytes made once and kept in the database, so every app process shares it. */
function signingKey(db: Db): Promise<Buffer> {
	let key = keys.get(db);
	if (!key) {
		key = (async () => {
			await db
				.insertInto('app_secret')
				.values({ name: 'device_cookie', value: randomBytes(32).toString('hex') })
				.onConflict((oc) => oc.column('name').doNothing())
				.execute();
			const row = await db.selectFrom('app_secret').select('value').where('name', '=', 'device_cookie').executeTakeFirstOrThrow();
			return Buffer.from(row.value, 'hex');
		})();
		key.catch(() => keys.delete(db));
		keys.set(db, key);
	}
	return key;
}

function sign(key: Buffer, userId: number, nonce: string): string {
	return createHmac('sha256', key).update(`${userId}.${nonce}`).digest('base64url').slice(0, 22);
}

/** The entries of a device cookie whose signature holds (anything else is ignored), most recent first. */
export async function readDeviceCookie(db: Db, value: string | undefined): Promise<DeviceEntry[]> {
	if (!value || value.length > 1000) return [];
	const key = await signingKey(db);
	const out: DeviceEntry[] = [];
	for (const part of value.split('~').slice(0, DEVICE_MAX_ENTRIES)) {
		const m = /^([1-9][0-9]{0,9})\.([a-z2-7]{16})\.([A-Za-z0-9_-]{22})$/.exec(part);
		if (!m) continue;
		const userId = Number(m[1]);
		const expected = Buffer.from(sign(key, userId, m[2]));
		const given = Buffer.from(m[3]);
		if (expected.length === given.length && timingSafeEqual(expected, given) && !out.some((e) => e.userId === userId)) {
			out.push({ userId, nonce: m[2] });
		}
	}
	return out;
}

/** The entries with `userId` first (keeping its nonce if it had one), the oldest dropped beyond the maximum. */
export function rememberOnDevice(entries: DeviceEntry[], userId: number): DeviceEntry[] {
	const own = entries.find((e) => e.userId === userId) ?? { userId, nonce: encodeBase32LowerCaseNoPadding(randomBytes(10)) };
	return [own, ...entries.filter((e) => e.userId !== userId)].slice(0, DEVICE_MAX_ENTRIES);
}

/** The entries without `userId` (a person who asked this phone to forget them). */
export function forgetOnDevice(entries: DeviceEntry[], userId: number): DeviceEntry[] {
	return entries.filter((e) => e.userId !== userId);
}

export async function writeDeviceCookie(db: Db, event: { cookies: Cookies; url: URL }, entries: DeviceEntry[]): Promise<void> {
	const opts = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: event.url.protocol === 'https:' };
	if (!entries.length) {
		event.cookies.delete(DEVICE_COOKIE, opts);
		return;
	}
	const key = await signingKey(db);
	const value = entries.map((e) => `${e.userId}.${e.nonce}.${sign(key, e.userId, e.nonce)}`).join('~');
	event.cookies.set(DEVICE_COOKIE, value, { ...opts, expires: new Date(Date.now() + DEVICE_DAYS * 24 * 60 * 60 * 1000) });
}

/** The throttle key of a device entry. */
export function deviceThrottleKey(entry: DeviceEntry): string {
	return `device:${entry.nonce}`;
}
