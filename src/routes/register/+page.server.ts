import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { safeNextPath } from '$lib/server/auth/redirect';
import { checkRegistration, PHONE_TAKEN, registerLearner, type RegistrationForm } from '$lib/server/auth/register';
import { DEVICE_COOKIE, readDeviceCookie, rememberOnDevice, writeDeviceCookie } from '$lib/server/auth/device';
import { THROTTLE } from '$lib/server/auth/throttle';
import { setSessionTokenCookie } from '$lib/server/auth/session';
import { getUnitOption, searchUnits, type UnitOption } from '$lib/server/units/search';
import { parseId } from '$lib/ids';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user?.kind === 'learner') redirect(303, '/account');
	return { next: safeNextPath(url.searchParams.get('next')), isGuest: locals.user?.kind === 'guest' };
};

/** What the form keeps when it is shown again: everything typed except the passwords. */
function readForm(data: FormData): RegistrationForm & { unitQuery: string; next: string } {
	const s = (k: string) => String(data.get(k) ?? '');
	return {
		fullName: s('full_name').slice(0, 200),
		phone: s('phone').slice(0, 40),
		username: s('username').slice(0, 64),
		password: s('password'),
		passwordRepeat: s('password_repeat'),
		audience: s('audience'),
		unitId: s('unit_id'),
		consent: data.get('consent') === 'yes',
		unitQuery: s('unit_q').slice(0, 100),
		next: s('next')
	};
}

/** Units to list under the search box: those matching the query, with the chosen one kept in the list. */
async function unitChoices(form: { unitQuery: string; unitId: string }): Promise<UnitOption[]> {
	const database = await db();
	const units = form.unitQuery.trim() ? await searchUnits(database, form.unitQuery, { currentOnly: true, limit: 20 }) : [];
	const chosen = parseId(form.unitId);
	if (chosen !== null && !units.some((u) => u.id === chosen)) {
		const unit = await getUnitOption(database, chosen);
		if (unit?.current) units.unshift(unit);
	}
	return units;
}

export const actions: Actions = {
	// One action for the two buttons: "Tìm" (intent=find) lists units and shows the form again; "Đăng ký" registers.
	default: async (event) => {
		if (event.locals.user?.kind === 'learner') redirect(303, '/account');
		const data = await event.request.formData();
		const form = readForm(data);
		const { password: _p, passwordRepeat: _r, ...values } = form;
		const units = (await unitChoices(form)).map((u) => ({ id: u.id, label: u.label }));

		if (data.get('intent') === 'find') {
			const message = !form.unitQuery.trim()
				? 'Hãy gõ tên xã, phường của bạn rồi bấm Tìm.'
				: // Passwords are never written back into a page: say so rather than leave the boxes silently empty.
					form.password || form.passwordRepeat
					? 'Hãy chọn đơn vị trong danh sách, rồi nhập lại hai ô mật khẩu (mật khẩu không được giữ lại khi tìm).'
					: null;
			return { values, units, searched: true, message };
		}
		// Enter pressed in the search box, or a name typed but not chosen: show the matches to choose from.
		if (!form.unitId && units.length) {
			return fail(400, {
				values,
				units,
				searched: true,
				field: 'unitId',
				message: 'Hãy chọn đơn vị của bạn trong danh sách bên dưới ô tìm (hoặc xóa chữ trong ô tìm nếu không muốn chọn).'
			});
		}

		const database = await db();
		const check = await checkRegistration(database, form, { key: `register:${event.getClientAddress()}`, policy: THROTTLE.register });
		if (!check.ok) return fail(400, { values, units, searched: false, field: check.field, message: check.message, offerLogin: check.message === PHONE_TAKEN });

		const guestId = event.locals.user?.kind === 'guest' ? event.locals.user.id : null;
		const result = await registerLearner(database, check.value, guestId);
		if (!result.ok) return fail(400, { values, units, searched: false, field: result.field, message: result.message, offerLogin: result.message === PHONE_TAKEN });
		setSessionTokenCookie(event, result.token, result.session.expiresAt);
		const device = await readDeviceCookie(database, event.cookies.get(DEVICE_COOKIE));
		await writeDeviceCookie(database, event, rememberOnDevice(device, result.userId));
		redirect(303, safeNextPath(form.next) ?? '/account?welcome=1');
	}
};
