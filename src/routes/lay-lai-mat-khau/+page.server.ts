import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { DEVICE_COOKIE, readDeviceCookie } from '$lib/server/auth/device';
import { finishLogin } from '$lib/server/auth/finish-login';
import { findResetCode, redeemResetCode, RESET_CODE_UNKNOWN } from '$lib/server/teams/reset';
import { formatCode } from '$lib/server/teams/codes';
import { givenName } from '$lib/server/teams/session-switch';

export const csr = false;

/** With ?ma=CODE (typed, or from the printed QR): whose code it is (given name only) and what they will set. */
export const load: PageServerLoad = async ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const typed = url.searchParams.get('ma');
	if (!typed) return { code: null, message: null, typed: null };
	const found = await findResetCode(await db(), typed.slice(0, 30));
	if (!found) return { code: null, message: RESET_CODE_UNKNOWN, typed: typed.slice(0, 30) };
	return { code: formatCode(found.code), givenName: givenName(found.full_name), setsPin: found.setsPin, setup: found.purpose === 'setup', message: null, typed: null };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const code = String(data.get('code') ?? '').slice(0, 30);
		const database = await db();
		const user = event.locals.user;
		const result = await redeemResetCode(database, {
			code,
			secret: String(data.get('password') ?? ''),
			secretRepeat: String(data.get('password_repeat') ?? ''),
			address: event.getClientAddress(),
			guestId: user?.kind === 'guest' ? user.id : null
		});
		if (!result.ok) return fail(400, { field: 'field' in result ? result.field : 'code', message: result.message });
		// As at any log-in: the learner logged in on this browser before is logged out, and when that was someone
		// else, what they stored on the device goes.
		await finishLogin(event, database, result, await readDeviceCookie(database, event.cookies.get(DEVICE_COOKIE)));
		redirect(303, '/my?lay-lai=1');
	}
};
