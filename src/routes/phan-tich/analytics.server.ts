import { error, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import type { Role } from '$lib/server/auth/roles';
import { parseId } from '$lib/ids';
import { getUnitOption, listChildUnits } from '$lib/server/units/search';
import { buildCourseAnalytics, monthsLabel, readMonths } from '$lib/server/analytics/report';

/** Who may read the analytics: trainers and officials over their unit's scope, administrators over everything. */
export const ANALYTICS_ROLES: Role[] = ['trainer', 'official'];

/**
 * The guard and unit filter of every analytics page (course, practices, exports): the person must be a trainer or
 * an official (or an administrator); the unit asked for (?don_vi=) must lie in the scope of one of their grants (403
 * otherwise, 400 when it is not a unit id). Without one, a trainer or official sees their (first) unit, never every
 * learner, and an administrator every learner. The units offered are the person's units and those directly under
 * them (an administrator: the provinces).
 */
export async function openAnalyticsScope(event: RequestEvent) {
	const access = await requireUnitRole(event, ANALYTICS_ROLES);
	const raw = event.url.searchParams.get('don_vi');
	let unitId: number | null;
	if (raw === null || raw === '') {
		unitId = access.isAdmin ? null : (access.grants.find((g) => g.unitId !== null)?.unitId ?? null);
		if (unitId === null && !access.isAdmin) error(403, 'Bạn không có quyền xem trang này.');
	} else {
		unitId = parseId(raw);
		if (unitId === null) error(400, 'Đơn vị không hợp lệ. Hãy chọn đơn vị trong danh sách.');
		await requireUnitRole(event, ANALYTICS_ROLES, unitId);
	}
	const database = await db();
	const options: { value: string; label: string }[] = [];
	if (access.isAdmin) {
		options.push({ value: '', label: 'Cả nước (mọi người học)' });
		const tops = await database
			.selectFrom('unit')
			.select('id')
			.where('parent_id', 'is', null)
			.where('valid_to', 'is', null)
			.orderBy('name')
			.execute();
		for (const t of tops) {
			const u = await getUnitOption(database, t.id);
			if (u) options.push({ value: String(u.id), label: u.label });
		}
	} else {
		for (const g of access.grants) {
			if (g.unitId === null || options.some((o) => o.value === String(g.unitId))) continue;
			const u = await getUnitOption(database, g.unitId);
			if (!u) continue;
			options.push({ value: String(u.id), label: u.label });
			for (const c of await listChildUnits(database, u.id)) options.push({ value: String(c.id), label: `  ${c.label}` });
		}
	}
	const unit = unitId === null ? null : await getUnitOption(database, unitId);
	if (unitId !== null && !unit) error(404, 'Không tìm thấy đơn vị');
	if (unit && !options.some((o) => o.value === String(unit.id))) options.unshift({ value: String(unit.id), label: unit.label });
	return { database, unitId, unitLabel: unit?.label ?? 'Cả nước', options };
}

/** The guard and unit filter (openAnalyticsScope) with the months the figures cover (?tu=&den=, as 2026-01). */
export async function openAnalytics(event: RequestEvent) {
	const scope = await openAnalyticsScope(event);
	const period = readMonths(event.url);
	const query = new URLSearchParams({ don_vi: scope.unitId === null ? '' : String(scope.unitId), tu: period.months.from, den: period.months.to }).toString();
	return { ...scope, period, periodLabel: monthsLabel(period.months), query };
}

/** The analytics of the course in the URL, for the chosen unit and months; 404 for a course not published. */
export async function openCourseAnalytics(event: RequestEvent) {
	const view = await openAnalytics(event);
	const analytics = await buildCourseAnalytics(view.database, event.params.course ?? '', view.unitId, view.period.months);
	if (!analytics) error(404, 'Không tìm thấy khóa học');
	return { ...view, analytics };
}
