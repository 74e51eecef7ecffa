import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseId } from '$lib/ids';
import { AUDIENCES, type Audience } from '$lib/server/auth/user';
import { AUDIENCE_CHOICES, createUnitAssignment, listUnitAssignments, removeUnitAssignment, type UnitAssignmentSubject } from '$lib/server/bulk/unit-assignments';
import { formatDueDate, parseDueDate } from '$lib/server/learning/due-date';
import { listCourseChoices, listProgrammes } from '$lib/server/stats/programmes';
import { openUnitPage } from '../unit.server';

export const csr = false;

const AUDIENCE_LABEL = new Map(AUDIENCE_CHOICES.map((c) => [c.value, c.label]));

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs } = await openUnitPage(event);
	const [assignments, courses, programmes] = await Promise.all([listUnitAssignments(database, unit.id), listCourseChoices(database), listProgrammes(database)]);
	return {
		unit: { id: unit.id, label: unit.label, current: unit.current },
		crumbs,
		courses: courses.map((c) => ({ value: `k${c.id}`, label: c.title })),
		programmes: programmes.map((p) => ({ value: `c${p.id}`, label: p.name })),
		audiences: AUDIENCE_CHOICES,
		assignments: assignments.map((a) => ({
			id: a.id,
			subject: a.subject,
			unitLabel: a.unitLabel,
			here: a.unitId === unit.id,
			audience: AUDIENCE_LABEL.get(a.audience ?? '') ?? '',
			due: formatDueDate(a.dueAt),
			people: a.people,
			overdue: a.overdue,
			by: a.createdByName
		}))
	};
};

export const actions: Actions = {
	tao: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		const data = await event.request.formData();
		const values = { subject: String(data.get('mon') ?? ''), due: String(data.get('han') ?? '').slice(0, 20), audience: String(data.get('doi_tuong') ?? '') };
		const bad = (field: string, message: string) => fail(400, { field, message, values });
		if (!unit.current) return bad('mon', 'Đơn vị này không còn tồn tại: hãy giao khóa học ở đơn vị kế thừa.');
		const m = /^([kc])(\d{1,10})$/.exec(values.subject);
		const id = m ? parseId(m[2]) : null;
		let subject: UnitAssignmentSubject | null = null;
		if (m && id !== null) {
			if (m[1] === 'k' && (await listCourseChoices(database)).some((c) => c.id === id)) subject = { courseId: id };
			if (m[1] === 'c' && (await listProgrammes(database)).some((p) => p.id === id)) subject = { programmeId: id };
		}
		if (!subject) return bad('mon', 'Hãy chọn một khóa học hoặc chương trình trong danh sách.');
		if (!values.due.trim()) return bad('han', 'Hãy chọn hạn hoàn thành.');
		const due = parseDueDate(values.due);
		if (!due.ok || !due.dueAt) return bad('han', due.ok ? 'Hãy chọn hạn hoàn thành.' : due.message);
		if (values.audience && !AUDIENCES.includes(values.audience as Audience)) return bad('doi_tuong', 'Hãy chọn giao cho ai.');
		const created = await createUnitAssignment(database, {
			unitId: unit.id,
			subject,
			audience: (values.audience || null) as Audience | null,
			dueAt: due.dueAt,
			actorUserId: user.id
		});
		return { created: { reached: created.reached } };
	},
	bo: async (event) => {
		const { database, unit, user } = await openUnitPage(event);
		const data = await event.request.formData();
		const id = parseId(String(data.get('id') ?? ''));
		const removed = id !== null && (await removeUnitAssignment(database, { id, scopeUnitId: unit.id, actorUserId: user.id }));
		if (!removed) return fail(400, { field: 'bo', message: 'Không tìm thấy việc giao khóa học này (có thể đã được bỏ).', values: null });
		return { removed: true };
	}
};
