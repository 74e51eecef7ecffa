import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { parseId } from '$lib/ids';
import { DEVICE_COOKIE, readDeviceCookie, rememberOnDevice, writeDeviceCookie } from '$lib/server/auth/device';
import { loginWithPassword } from '$lib/server/auth/login';
import { invalidateSession, setSessionTokenCookie } from '$lib/server/auth/session';
import { loginWithCard } from '$lib/server/teams/cards';
import { clearDeviceIfAnotherLearner } from '$lib/server/offline/clear-device';
import { activeCardCode, listPhonePeople, loginNameOf } from '$lib/server/teams/session-switch';

export const csr = false;

/**
 * "Đổi người học": the people who learned on this phone (given names only, from the signed device cookie). Each
 * needs their own PIN or password: choosing a name shows nothing of that person until they have proven it.
 */
export const load: PageServerLoad = async ({ cookies, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const people = await listPhonePeople(await db(), await readDeviceCookie(await db(), cookies.get(DEVICE_COOKIE)));
	const chosenIndex = parseId(url.searchParams.get('nguoi') ?? '');
	const chosen = people.find((p) => p.index + 1 === chosenIndex) ?? null;
	return { people: people.map((p) => ({ n: p.index + 1, givenName: p.givenName })), chosen: chosen && { n: chosen.index + 1, givenName: chosen.givenName, usesPin: chosen.usesPin } };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const n = parseId(String(data.get('nguoi') ?? ''));
		const secret = String(data.get('secret') ?? '');
		const database = await db();
		const device = await readDeviceCookie(database, event.cookies.get(DEVICE_COOKIE));
		const entry = n ? device[n - 1] : undefined;
		if (!entry) return fail(400, { message: 'Không tìm thấy người này trên điện thoại. Hãy chọn lại.' });
		if (!secret) return fail(400, { message: 'Hãy nhập mã PIN hoặc mật khẩu.' });
		const { user, session } = event.locals;
		const common = { address: event.getClientAddress(), guestId: user?.kind === 'guest' ? user.id : null, device };
		const card = await activeCardCode(database, entry.userId);
		const loginName = card ? undefined : await loginNameOf(database, entry.userId);
		const result = card
			? await loginWithCard(database, { ...common, code: card, pin: secret.trim() })
			: loginName
				? await loginWithPassword(database, { ...common, identifier: loginName, password: secret })
				: { ok: false as const, message: 'Người này chưa có mật khẩu hay thẻ đăng nhập. Hãy nhờ tổ công nghệ số cộng đồng.' };
		// The check ran for the person chosen on this phone; a result for anyone else is refused.
		if (!result.ok || result.userId !== entry.userId) return fail(400, { message: result.ok ? 'Không đổi được người học.' : result.message });
		if (session && user?.kind === 'learner') await invalidateSession(database, session.id);
		// Another learner now uses this browser: what the previous one stored on the phone goes (as at logout); a
		// visitor's things stay, as their progress joins this account (as on the log-in page).
		clearDeviceIfAnotherLearner(event, user, result.userId);
		setSessionTokenCookie(event, result.token, result.session.expiresAt);
		await writeDeviceCookie(database, event, rememberOnDevice(device, result.userId));
		redirect(303, '/my');
	}
};
