import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { changePassword, deleteAccount } from '$lib/server/auth/account';
import { requireUser } from '$lib/server/auth/guards';
import { hasRole } from '$lib/server/auth/roles';
import { deleteSessionTokenCookie } from '$lib/server/auth/session';
import { getAccountProfile } from '$lib/server/auth/user';
import { getUnitOption } from '$lib/server/units/search';
import { AUDIENCE_LABELS } from '$lib/labels';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const database = await db();
	const profile = await getAccountProfile(database, user.id);
	if (!profile) error(404, 'Không tìm thấy tài khoản');
	const unit = profile.unit_id ? await getUnitOption(database, profile.unit_id) : undefined;
	return {
		welcome: event.url.searchParams.has('welcome'),
		isAdmin: hasRole(user, 'admin'),
		isTrainer: hasRole(user, 'trainer'),
		isOfficial: hasRole(user, 'official'),
		profile: {
			fullName: profile.full_name,
			phone: profile.phone,
			username: profile.username,
			audience: profile.audience ? (AUDIENCE_LABELS[profile.audience] ?? profile.audience) : null,
			unit: unit?.label ?? null,
			createdAt: profile.created_at.toISOString()
		}
	};
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const result = await changePassword(await db(), {
			userId: user.id,
			sessionId: event.locals.session!.id,
			current: String(data.get('current_password') ?? ''),
			password: String(data.get('password') ?? ''),
			passwordRepeat: String(data.get('password_repeat') ?? '')
		});
		if (!result.ok) return fail(400, { action: 'password', field: result.field, message: result.message });
		return { action: 'password', ok: true, message: 'Đã đổi mật khẩu. Các máy khác đang đăng nhập tài khoản này đã được đăng xuất.' };
	},
	delete: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const result = await deleteAccount(await db(), {
			userId: user.id,
			password: String(data.get('delete_password') ?? '')
		});
		if (!result.ok) return fail(400, { action: 'delete', field: result.field, message: result.message });
		deleteSessionTokenCookie(event);
		redirect(303, '/account/deleted');
	}
};
