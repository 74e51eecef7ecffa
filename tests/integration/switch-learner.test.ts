import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openAppTestDatabase } from './support/app-db';
import { postDefaultAction } from './support/form-action';
import { createGuest, createLearner, createUnit } from './support/learning';
import { getUserById } from '../../src/lib/server/auth/user';
import { createSession, generateSessionToken, type Session } from '../../src/lib/server/auth/session';
import { DEVICE_COOKIE, rememberOnDevice, writeDeviceCookie, type DeviceEntry } from '../../src/lib/server/auth/device';
import { hashPassword } from '../../src/lib/server/auth/password';

// "Đổi người học" on a shared phone: the person chosen logs in with their own password. When someone else was
// learning on the phone, what they stored there goes (Clear-Site-Data); a visitor's things stay, as their progress
// joins the account the person logs in to (the same rule as the log-in page).

const PASSWORD = 'ruộng bậc thang';
let close: () => Promise<void>;
let appDb: Awaited<ReturnType<typeof openAppTestDatabase>>['db'];
type Route = typeof import('../../src/routes/doi-nguoi-hoc/+page.server');
let route: Route;
let unitId: number;

beforeAll(async () => {
	process.env.HOCSO_CONTENT_DIR = 'tests/fixtures/content';
	({ close, db: appDb } = await openAppTestDatabase());
	route = await import('../../src/routes/doi-nguoi-hoc/+page.server');
	unitId = await createUnit(appDb);
});
afterAll(async () => close?.());

let usernames = 0;
/** A learner who logs in with a username and password. */
async function learnerWithPassword(name: string) {
	const id = await createLearner(appDb, { name, unitId });
	await appDb
		.updateTable('app_user')
		.set({ username: `doi.nguoi.${++usernames}.${id}`, password_hash: await hashPassword(PASSWORD) })
		.where('id', '=', id)
		.execute();
	return id;
}

async function loggedIn(userId: number) {
	const session = await createSession(appDb, generateSessionToken(), userId);
	return { user: await getUserById(appDb, userId), session };
}

/** The signed device cookie a phone keeps after these people logged in on it (most recent first). */
async function deviceCookie(userIds: number[]): Promise<string> {
	let entries: DeviceEntry[] = [];
	for (const id of [...userIds].reverse()) entries = rememberOnDevice(entries, id);
	let value = '';
	const cookies = { set: (_name: string, v: string) => (value = v), delete() {} };
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	await writeDeviceCookie(appDb, { cookies: cookies as any, url: new URL('http://localhost/') }, entries);
	return value;
}

/** Chooses person `n` of the phone's list and posts their password, as the browser would. */
async function switchTo(n: number, device: string, locals: { user?: unknown; session?: Session }) {
	const { headers, cookies, thrown } = await postDefaultAction(route, '/doi-nguoi-hoc', { nguoi: String(n), secret: PASSWORD }, { locals, cookies: { [DEVICE_COOKIE]: device }, address: '10.9.8.6' });
	expect(isRedirect(thrown) && thrown.location).toBe('/my');
	return { headers, cookies };
}

const sessionExists = async (id: string) => (await appDb.selectFrom('user_session').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

describe('"Đổi người học" on a shared phone', () => {
	test('from one learner to another: the first is logged out and what they stored goes', async () => {
		const hai = await learnerWithPassword('Trần Văn Hai');
		const ba = await learnerWithPassword('Trần Thị Ba');
		const before = await loggedIn(hai);
		const { headers, cookies } = await switchTo(2, await deviceCookie([hai, ba]), before);
		expect(headers['Clear-Site-Data']).toBe('"cache", "storage"');
		expect(await sessionExists(before.session.id)).toBe(false);
		expect(cookies.session).toBeTruthy();
		expect(await appDb.selectFrom('user_session').select('user_id').where('user_id', '=', ba).execute()).toHaveLength(1);
	});

	test("from a visitor: what the visitor stored stays, and their progress joins the account", async () => {
		const tu = await learnerWithPassword('Lê Văn Tư');
		const guestId = await createGuest(appDb);
		const guest = await getUserById(appDb, guestId);
		const { headers, cookies } = await switchTo(1, await deviceCookie([tu]), { user: guest });
		expect(headers['Clear-Site-Data']).toBeUndefined();
		expect(cookies.session).toBeTruthy();
		expect(await appDb.selectFrom('user_session').select('user_id').where('user_id', '=', tu).execute()).toHaveLength(1);
		// The visitor was taken into the account (their progress moved there, the visitor row gone).
		expect(await appDb.selectFrom('app_user').select('id').where('id', '=', guestId).executeTakeFirst()).toBeUndefined();
	});

	test('nobody logged in before: nothing to clear', async () => {
		const nam = await learnerWithPassword('Lê Thị Năm');
		const { headers } = await switchTo(1, await deviceCookie([nam]), {});
		expect(headers['Clear-Site-Data']).toBeUndefined();
	});
});
