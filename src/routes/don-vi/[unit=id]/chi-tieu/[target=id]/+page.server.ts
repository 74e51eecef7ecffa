import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { getChildUnits, getUnitFacts } from '$lib/server/stats/counting';
import { listSubjectOptions, viewTargets } from '$lib/server/stats/dashboard';
import {
	checkTargetForm,
	getTarget,
	listTargetParts,
	parsePercent,
	readWholeNumber,
	setTargetClosed,
	setTargetParts,
	updateTarget,
	type Target,
	type TargetForm
} from '$lib/server/stats/targets';
import { unitLabel } from '$lib/server/units/search';

export const csr = false;

/** The target of the URL, after checking the official may manage both the page's unit and the target's unit. */
async function guard(event: RequestEvent<{ unit: string; target: string }>) {
	const unitId = parseId(event.params.unit)!;
	const { user } = await requireUnitRole(event, ['official'], unitId);
	const database = await db();
	const target = await getTarget(database, parseId(event.params.target)!);
	if (!target) error(404, 'Không tìm thấy chỉ tiêu');
	await requireUnitRole(event, ['official'], target.unitId);
	return { user, unitId, target, database };
}

function formOf(t: Target): TargetForm {
	return {
		title: t.title,
		subject: `${t.kind}:${t.subjectId}`,
		audience: t.audience ?? '',
		periodStart: t.periodStart,
		periodEnd: t.periodEnd,
		goalKind: t.goalKind,
		goalCount: t.goalCount === null ? '' : String(t.goalCount),
		goalPercent: t.goalPercent === null ? '' : String(t.goalPercent).replace('.', ',')
	};
}

export const load: PageServerLoad = async (event) => {
	const { unitId, target, database } = await guard(event);
	const options = await listSubjectOptions(database);
	const [view] = await viewTargets(database, [target], unitId, options);
	const parts = await listTargetParts(database, target.id);
	const children = (await getChildUnits(database, target.unitId)).filter((c) => !c.validTo && !c.retired);
	const partViews = await viewTargets(database, parts, target.unitId, options);
	const unit = (await getUnitFacts(database, [target.unitId])).get(target.unitId)!;
	return {
		unitId,
		view,
		values: formOf(target),
		subjects: options.map((o) => ({ value: o.value, label: o.label })),
		closed: target.closedAt !== null,
		goalKind: target.goalKind,
		parentId: target.parentTargetId,
		targetUnit: unitLabel({ type: unit.type, name: unit.name, valid_to: unit.validTo }),
		children: children.map((c) => {
			const part = parts.find((p) => p.unitId === c.id);
			const pv = part ? partViews.find((v) => v.id === part.id) : undefined;
			return {
				id: c.id,
				label: unitLabel({ type: c.type, name: c.name }),
				goal: part ? String(part.goalCount ?? part.goalPercent ?? '').replace('.', ',') : '',
				learners: pv?.learners ?? null,
				goalLabel: pv?.goalLabel ?? null
			};
		}),
		created: event.url.searchParams.has('moi')
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { user, target, database } = await guard(event);
		const data = await event.request.formData();
		const s = (k: string) => String(data.get(k) ?? '').slice(0, 200);
		const form: TargetForm = {
			title: s('title'),
			subject: s('subject'),
			audience: s('audience'),
			periodStart: s('period_start'),
			periodEnd: s('period_end'),
			goalKind: s('goal_kind'),
			goalCount: s('goal_count'),
			goalPercent: s('goal_percent')
		};
		const check = await checkTargetForm(database, form);
		if (!check.ok) return fail(400, { action: 'update', values: form, field: check.field, message: check.message });
		await updateTarget(database, target, check.value, user.id);
		return { action: 'update', ok: 'Đã lưu thay đổi.' };
	},
	close: async (event) => {
		const { user, target, database } = await guard(event);
		await setTargetClosed(database, target, true, user.id);
		return { action: 'close', ok: 'Đã đóng chỉ tiêu. Số liệu vẫn được giữ và xem được.' };
	},
	reopen: async (event) => {
		const { user, target, database } = await guard(event);
		await setTargetClosed(database, target, false, user.id);
		return { action: 'reopen', ok: 'Đã mở lại chỉ tiêu.' };
	},
	parts: async (event) => {
		const { user, target, database } = await guard(event);
		const data = await event.request.formData();
		const children = (await getChildUnits(database, target.unitId)).filter((c) => !c.validTo && !c.retired);
		const goals: { unitId: number; goal: number | null }[] = [];
		const typed: Record<string, string> = {};
		for (const c of children) {
			const raw = String(data.get(`goal_${c.id}`) ?? '').slice(0, 20);
			typed[c.id] = raw;
			if (!raw.trim()) {
				goals.push({ unitId: c.id, goal: null });
				continue;
			}
			const goal = target.goalKind === 'count' ? readWholeNumber(raw) : parsePercent(raw);
			if (goal === undefined || goal === null || goal <= 0 || (target.goalKind === 'share' && goal > 100)) {
				const what = target.goalKind === 'count' ? 'một số nguyên lớn hơn 0' : 'một tỉ lệ từ 0,01 đến 100';
				return fail(400, { action: 'parts', typed, message: `${unitLabel({ type: c.type, name: c.name })}: hãy nhập ${what}, hoặc để trống.` });
			}
			goals.push({ unitId: c.id, goal });
		}
		await setTargetParts(database, target, goals, user.id);
		return { action: 'parts', ok: 'Đã giao chỉ tiêu cho các đơn vị trực thuộc.' };
	}
};
