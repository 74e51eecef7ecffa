import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { loginWithPassword } from '$lib/server/auth/login';
import { safeNextPath } from '$lib/server/auth/redirect';
import { DEVICE_COOKIE, readDeviceCookie } from '$lib/server/auth/device';
import { finishLogin } from '$lib/server/auth/finish-login';

export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.user?.kind === 'learner') redirect(303, next ?? '/account');
	return { next, isGuest: locals.user?.kind === 'guest' };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const identifier = String(data.get('identifier') ?? '').slice(0, 64);
		const password = String(data.get('password') ?? '');
		const next = safeNextPath(String(data.get('next') ?? ''));
		if (!identifier.trim() || !password) {
			return fail(400, { identifier, next, message: 'Hãy nhập số điện thoại (hoặc tên đăng nhập) và mật khẩu.' });
		}
		const database = await db();
		const { user } = event.locals;
		const device = await readDeviceCookie(database, event.cookies.get(DEVICE_COOKIE));
		const result = await loginWithPassword(database, {
			identifier,
			password,
			address: event.getClientAddress(),
			guestId: user?.kind === 'guest' ? user.id : null,
			device
		});
		if (!result.ok) return fail(400, { identifier, next, message: result.message });
		await finishLogin(event, database, result, device);
		redirect(303, next ?? '/');
	}
};
