import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openAppTestDatabase } from './support/app-db';
import { postDefaultAction } from './support/form-action';
import { createGuest, createLearner, createUnit } from './support/learning';
import { getUserById } from '../../src/lib/server/auth/user';
import { createSession, generateSessionToken, type Session } from '../../src/lib/server/auth/session';
import { issueResetCode, issueSetupCode } from '../../src/lib/server/teams/reset';

// Logging in with a setup or reset code on /lay-lai-mat-khau ends like any other log-in: the learner logged in on
// the browser before is logged out, and when that was someone else, what they stored on the device goes.

const PASSWORD = 'cánh đồng lúa xanh';
let close: () => Promise<void>;
let appDb: Awaited<ReturnType<typeof openAppTestDatabase>>['db'];
type Route = typeof import('../../src/routes/lay-lai-mat-khau/+page.server');
let route: Route;
let unitId: number;

beforeAll(async () => {
	process.env.HOCSO_CONTENT_DIR = 'tests/fixtures/content';
	({ close, db: appDb } = await openAppTestDatabase());
	route = await import('../../src/routes/lay-lai-mat-khau/+page.server');
	unitId = await createUnit(appDb);
});
afterAll(async () => close?.());

async function code(userId: number, purpose: 'setup' | 'reset') {
	const issue = purpose === 'setup' ? issueSetupCode : issueResetCode;
	return (await appDb.transaction().execute((trx) => issue(trx, { userId, actorUserId: userId, unitId }))).code;
}

async function loggedIn(userId: number) {
	const session = await createSession(appDb, generateSessionToken(), userId);
	return { user: await getUserById(appDb, userId), session };
}

/** Posts the form as the browser would, with whoever is logged in on it; returns the response headers and cookies set. */
async function redeem(resetCode: string, locals: { user?: unknown; session?: Session }) {
	const { headers, cookies, thrown } = await postDefaultAction(route, '/lay-lai-mat-khau', { code: resetCode, password: PASSWORD, password_repeat: PASSWORD }, { locals });
	expect(isRedirect(thrown) && thrown.location).toBe('/my?lay-lai=1');
	return { headers, cookies };
}

const sessionExists = async (id: string) => (await appDb.selectFrom('user_session').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

describe('logging in with a setup or reset code on a shared browser', () => {
	test("another learner's setup code: the one logged in before is logged out and what they stored goes", async () => {
		const before = await loggedIn(await createLearner(appDb, { name: 'Lê Văn Trước', unitId }));
		const newcomer = await createLearner(appDb, { name: 'Phạm Thị Sau', unitId });
		const { headers, cookies } = await redeem(await code(newcomer, 'setup'), before);
		expect(headers['Clear-Site-Data']).toBe('"cache", "storage"');
		expect(await sessionExists(before.session.id)).toBe(false);
		expect(cookies.session).toBeTruthy();
		const started = await appDb.selectFrom('user_session').select('user_id').where('user_id', '=', newcomer).execute();
		expect(started).toHaveLength(1);
	});

	test('the same learner with their own reset code: nothing is cleared', async () => {
		const me = await createLearner(appDb, { name: 'Võ Văn Mình', unitId });
		const { headers } = await redeem(await code(me, 'reset'), await loggedIn(me));
		expect(headers).toEqual({});
	});

	test("a visitor's setup code: what the visitor stored stays (their progress joins the account)", async () => {
		const guest = await getUserById(appDb, await createGuest(appDb));
		const { headers } = await redeem(await code(await createLearner(appDb, { name: 'Đỗ Thị Khách', unitId }), 'setup'), { user: guest });
		expect(headers).toEqual({});
	});
});
