import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { changePassword, deleteAccount } from '$lib/server/auth/account';
import { requireUser } from '$lib/server/auth/guards';
import { hasRole } from '$lib/server/auth/roles';
import { deleteSessionTokenCookie } from '$lib/server/auth/session';
import { clearDeviceStorage } from '$lib/server/offline/clear-device';
import { getAccountProfile } from '$lib/server/auth/user';
import { getUnitOption, searchUnits } from '$lib/server/units/search';
import { updateProfile } from '$lib/server/auth/profile';
import { AUDIENCE_LABELS } from '$lib/labels';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const database = await db();
	const profile = await getAccountProfile(database, user.id);
	if (!profile) error(404, 'Không tìm thấy tài khoản');
	const unit = profile.unit_id ? await getUnitOption(database, profile.unit_id) : undefined;
	// Community team members (and officials) help the villagers of their units: a link to each unit's people.
	const teamUnitIds = [...new Set(user.roles.filter((g) => (g.role === 'team_member' || g.role === 'official') && g.unitId !== null).map((g) => g.unitId!))];
	const teamUnits = (await Promise.all(teamUnitIds.map((id) => getUnitOption(database, id)))).filter((u) => !!u).map((u) => ({ id: u.id, label: u.label }));
	return {
		teamUnits,
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
			unitId: profile.unit_id,
			createdAt: profile.created_at.toISOString()
		}
	};
};

export const actions: Actions = {
	// Name and unit. "Tìm" (intent=find) lists matching units and shows the form again; "Lưu" saves.
	profile: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const values = {
			fullName: String(data.get('full_name') ?? '').slice(0, 200),
			unitQuery: String(data.get('unit_q') ?? '').slice(0, 100),
			unitId: String(data.get('unit_id') ?? '').slice(0, 12)
		};
		const database = await db();
		const found = values.unitQuery.trim() ? await searchUnits(database, values.unitQuery, { currentOnly: true, limit: 20 }) : [];
		const chosen = values.unitId ? await getUnitOption(database, Number(values.unitId) || 0) : undefined;
		if (chosen?.current && !found.some((u) => u.id === chosen.id)) found.unshift(chosen);
		const units = found.map((u) => ({ id: u.id, label: u.label }));
		if (data.get('intent') === 'find') return { action: 'profile', values, units, searched: true };
		const result = await updateProfile(database, user.id, values);
		if (!result.ok) return fail(400, { action: 'profile', values, units, searched: false, field: result.field, message: result.message });
		return { action: 'profile', ok: true, message: 'Đã lưu. Giấy chứng nhận đã có vẫn tính cho đơn vị nơi bạn học; khóa học xong từ nay tính cho đơn vị mới.' };
	},
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
		clearDeviceStorage(event);
		redirect(303, '/account/deleted');
	}
};
