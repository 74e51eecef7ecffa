import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { getUnitFacts } from '$lib/server/stats/counting';
import { createProgramme, getProgramme, listCourseChoices, listProgrammes, retireProgramme, updateProgramme } from '$lib/server/stats/programmes';
import { unitLabel } from '$lib/server/units/search';

export const csr = false;

function readForm(data: FormData) {
	return {
		name: String(data.get('name') ?? '').slice(0, 200),
		courseIds: data
			.getAll('course')
			.map((v) => parseId(String(v)))
			.filter((v): v is number => v !== null)
	};
}

/** A programme the official may change: one made in a unit of their scope (an administrator's: administrators only). */
async function ownProgramme(event: RequestEvent, id: number | null) {
	const programme = id === null ? undefined : await getProgramme(await db(), id);
	if (!programme) error(404, 'Không tìm thấy chương trình');
	if (programme.unitId === null) await requireUnitRole(event, ['admin']);
	else await requireUnitRole(event, ['official'], programme.unitId);
	return programme;
}

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	await requireUnitRole(event, ['official'], unitId);
	const database = await db();
	const unit = (await getUnitFacts(database, [unitId])).get(unitId);
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const [courses, programmes] = await Promise.all([listCourseChoices(database), listProgrammes(database)]);
	const owners = await getUnitFacts(database, [...new Set(programmes.flatMap((p) => (p.unitId ? [p.unitId] : [])))]);
	const editId = parseId(event.url.searchParams.get('sua'));
	const editing = editId ? programmes.find((p) => p.id === editId) : undefined;
	return {
		unit: { id: unit.id, label: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }) },
		courses,
		programmes: programmes.map((p) => {
			const o = p.unitId ? owners.get(p.unitId) : undefined;
			return {
				id: p.id,
				name: p.name,
				owner: o ? unitLabel({ type: o.type, name: o.name }) : 'Quản trị hệ thống',
				courses: p.courseIds.map((id) => courses.find((c) => c.id === id)?.title ?? `#${id}`)
			};
		}),
		editing: editing ? { id: editing.id, name: editing.name, courseIds: editing.courseIds } : null
	};
};

export const actions: Actions = {
	create: async (event) => {
		const unitId = parseId(event.params.unit)!;
		const { user } = await requireUnitRole(event, ['official'], unitId);
		const form = readForm(await event.request.formData());
		const result = await createProgramme(await db(), form, { userId: user.id, unitId });
		if (!result.ok) return fail(400, { action: 'create', values: form, message: result.message });
		return { action: 'create', ok: 'Đã tạo chương trình.' };
	},
	update: async (event) => {
		const unitId = parseId(event.params.unit)!;
		const { user } = await requireUnitRole(event, ['official'], unitId);
		const data = await event.request.formData();
		const programme = await ownProgramme(event, parseId(String(data.get('id') ?? '')));
		const form = readForm(data);
		const result = await updateProgramme(await db(), programme.id, form, { userId: user.id, unitId });
		if (!result.ok) return fail(400, { action: 'update', values: { ...form, id: programme.id }, message: result.message });
		return { action: 'update', ok: 'Đã lưu chương trình. Số người hoàn thành đã được tính lại.' };
	},
	retire: async (event) => {
		const unitId = parseId(event.params.unit)!;
		const { user } = await requireUnitRole(event, ['official'], unitId);
		const data = await event.request.formData();
		const programme = await ownProgramme(event, parseId(String(data.get('id') ?? '')));
		await retireProgramme(await db(), programme.id, { userId: user.id });
		return { action: 'retire', ok: 'Đã thôi dùng chương trình. Chỉ tiêu đang dùng nó vẫn được tính.' };
	}
};
