import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { DEVICE_COOKIE, readDeviceCookie } from '$lib/server/auth/device';
import { finishLogin } from '$lib/server/auth/finish-login';
import { loginWithCard } from '$lib/server/teams/cards';

/** Logs in with a card (code typed, or from the QR link's page) and PIN; shared by /the and /the/[code]. */
export async function cardLoginAction(event: RequestEvent) {
	const data = await event.request.formData();
	const code = String(data.get('code') ?? '').slice(0, 20);
	const pin = String(data.get('pin') ?? '').trim().slice(0, 12);
	if (!code.trim() || !pin) return fail(400, { code, message: 'Hãy nhập mã thẻ và mã PIN 6 chữ số in trên thẻ.' });
	const database = await db();
	const { user } = event.locals;
	const device = await readDeviceCookie(database, event.cookies.get(DEVICE_COOKIE));
	const result = await loginWithCard(database, {
		code,
		pin,
		address: event.getClientAddress(),
		guestId: user?.kind === 'guest' ? user.id : null,
		device
	});
	if (!result.ok) return fail(400, { code, message: result.message });
	// Whoever was logged in on this phone before is logged out: each person sees only their own learning.
	await finishLogin(event, database, result, device);
	redirect(303, '/my');
}
