import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { getUnitFacts } from '$lib/server/stats/counting';
import { audienceLabel, listSubjectOptions, viewTargets } from '$lib/server/stats/dashboard';
import { todayInVietnam } from '$lib/server/stats/period';
import { listProgrammes } from '$lib/server/stats/programmes';
import { checkTargetForm, createTarget, listTargetsOfUnit, type TargetForm } from '$lib/server/stats/targets';
import { unitLabel } from '$lib/server/units/search';

export const csr = false;

function readForm(data: FormData): TargetForm {
	const s = (k: string) => String(data.get(k) ?? '').slice(0, 200);
	return {
		title: s('title'),
		subject: s('subject'),
		audience: s('audience'),
		periodStart: s('period_start'),
		periodEnd: s('period_end'),
		goalKind: s('goal_kind'),
		goalCount: s('goal_count'),
		goalPercent: s('goal_percent')
	};
}

/** Subjects a new target may use: courses and programmes not retired. */
async function subjectChoices() {
	const database = await db();
	const [options, programmes] = await Promise.all([listSubjectOptions(database), listProgrammes(database)]);
	const live = new Set(programmes.map((p) => p.id));
	return options.filter((o) => o.kind === 'course' || live.has(o.id)).map((o) => ({ value: o.value, label: o.label }));
}

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	await requireUnitRole(event, ['official'], unitId);
	const database = await db();
	const unit = (await getUnitFacts(database, [unitId])).get(unitId);
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const options = await listSubjectOptions(database);
	const targets = await viewTargets(database, await listTargetsOfUnit(database, unitId, { includeClosed: true }), unitId, options);
	const year = todayInVietnam().slice(0, 4);
	return {
		unit: { id: unit.id, label: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }), ended: unit.validTo !== null },
		targets,
		subjects: await subjectChoices(),
		defaults: { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }
	};
};

export const actions: Actions = {
	create: async (event) => {
		const unitId = parseId(event.params.unit)!;
		const { user } = await requireUnitRole(event, ['official'], unitId);
		const database = await db();
		const form = readForm(await event.request.formData());
		const check = await checkTargetForm(database, form);
		if (!check.ok) return fail(400, { values: form, field: check.field, message: check.message });
		const options = await listSubjectOptions(database);
		const subject = options.find((o) => o.value === form.subject)?.label ?? '';
		const id = await createTarget(database, unitId, check.value, user.id, `${subject} (${audienceLabel(check.value.audience).toLowerCase()})`);
		redirect(303, `/don-vi/${unitId}/chi-tieu/${id}?moi=1`);
	}
};
