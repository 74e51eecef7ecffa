import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { addHamlet, HAMLET_TYPES, listHamlets, renameHamlet, setHamletRetired, type HamletResult } from '$lib/server/units/hamlets';
import { parseId } from '$lib/ids';
import { openUnitPage } from '../unit.server';

export const csr = false;

/** Hamlets belong to a commune (xã, phường) that exists today. */
async function openCommune(event: RequestEvent) {
	const page = await openUnitPage(event);
	if (page.unit.level !== 'commune' || !page.unit.current) error(404, 'Chỉ xã, phường đang hoạt động mới có danh sách thôn, làng.');
	return page;
}

function answer(result: HamletResult, done: string, values: Record<string, string>) {
	if (!result.ok) return fail(400, { ...values, field: result.field, message: result.message });
	return { done };
}

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs } = await openCommune(event);
	const hamlets = await listHamlets(database, unit.id);
	return { unit: { id: unit.id, label: unit.label }, crumbs, types: [...HAMLET_TYPES], hamlets };
};

export const actions: Actions = {
	add: async (event) => {
		const { database, unit, user } = await openCommune(event);
		const form = await event.request.formData();
		const values = { name: String(form.get('name') ?? '').slice(0, 200), type: String(form.get('type') ?? '') };
		const result = await addHamlet(database, { communeId: unit.id, type: values.type, name: values.name, actorUserId: user.id });
		return answer(result, result.ok ? `Đã thêm ${result.name}.` : '', { ...values, form: 'add' });
	},
	rename: async (event) => {
		const { database, unit, user } = await openCommune(event);
		const form = await event.request.formData();
		const hamletId = parseId(form.get('id'));
		const values = { name: String(form.get('name') ?? '').slice(0, 200), type: String(form.get('type') ?? ''), form: `rename-${hamletId}` };
		if (hamletId === null) return fail(400, { ...values, field: 'id', message: 'Không tìm thấy thôn, làng này.' });
		const result = await renameHamlet(database, { communeId: unit.id, hamletId, type: values.type, name: values.name, actorUserId: user.id });
		return answer(result, result.ok ? `Đã đổi tên thành ${result.name}.` : '', values);
	},
	retire: async (event) => {
		const { database, unit, user } = await openCommune(event);
		const form = await event.request.formData();
		const hamletId = parseId(form.get('id'));
		const retired = form.get('retired') !== '0';
		if (hamletId === null) return fail(400, { form: 'list', field: 'id', message: 'Không tìm thấy thôn, làng này.' });
		const result = await setHamletRetired(database, { communeId: unit.id, hamletId, retired, actorUserId: user.id });
		if (!result.ok) return fail(400, { form: 'list', field: result.field, message: result.message });
		return { done: retired ? `Đã ngừng dùng ${result.name}. Người và kết quả học đã ghi ở đó vẫn được giữ.` : `Đã dùng lại ${result.name}.` };
	}
};
