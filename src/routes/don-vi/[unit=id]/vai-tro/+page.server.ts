import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { ROLE_LABELS } from '$lib/server/auth/roles';
import { GRANTABLE_ROLES, grantUnitRole, listRoleHolders, revokeUnitRole } from '$lib/server/units/unit-roles';
import { parseId } from '$lib/ids';
import { openUnitPage } from '../unit.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs, user } = await openUnitPage(event);
	const holders = await listRoleHolders(database, unit.id);
	return {
		unit: { id: unit.id, label: unit.label },
		crumbs,
		roles: GRANTABLE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
		holders: holders.map((h) => ({
			grantId: h.grantId,
			name: h.fullName ?? '(không có tên)',
			login: h.login,
			role: ROLE_LABELS[h.role],
			unit: h.unitId === unit.id ? null : `${h.unitType} ${h.unitName}`,
			self: h.userId === user.id
		}))
	};
};

export const actions: Actions = {
	grant: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		const form = await event.request.formData();
		const values = { login: String(form.get('login') ?? '').slice(0, 64), role: String(form.get('role') ?? '').slice(0, 20) };
		const result = await grantUnitRole(database, { actor: user, unitId: unit.id, login: values.login, role: values.role });
		if (!result.ok) return fail(400, { ...values, field: result.field, message: result.message });
		return { done: `Đã cấp vai trò ${ROLE_LABELS[result.role]} của ${unit.label} cho ${result.who}.` };
	},
	revoke: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		const form = await event.request.formData();
		const grantId = parseId(form.get('grant'));
		if (grantId === null) return fail(400, { revokeMessage: 'Không tìm thấy vai trò này. Danh sách dưới đây là mới nhất.' });
		const result = await revokeUnitRole(database, { actor: user, scopeUnitId: unit.id, grantId });
		if (!result.ok) return fail(400, { revokeMessage: result.message });
		return { done: `Đã thu hồi vai trò ${ROLE_LABELS[result.role]} của ${result.who}.` };
	}
};
