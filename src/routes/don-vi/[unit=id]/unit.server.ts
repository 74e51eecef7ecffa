import { error, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import type { Role } from '$lib/server/auth/roles';
import { parseId } from '$lib/ids';
import { getUnitOption, listUnitAncestors } from '$lib/server/units/search';

/**
 * What every page under /don-vi/[unit] starts with: the guard (an official whose scope holds the unit, or an
 * administrator), then the unit and the path down to it from the highest unit the person may open.
 */
export async function openUnitPage(event: RequestEvent, roles: Role[] = ['official']) {
	const unitId = parseId(event.params.unit);
	if (unitId === null) error(404, 'Không tìm thấy đơn vị');
	const access = await requireUnitRole(event, roles, unitId);
	const database = await db();
	const unit = await getUnitOption(database, unitId);
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const ancestors = await listUnitAncestors(database, unitId);
	// Breadcrumbs link only to units the person may open: from the highest unit of their grants down.
	const from = access.isAdmin ? 0 : Math.min(ancestors.length, ...access.grants.map((g) => ancestors.findIndex((a) => a.id === g.unitId)).filter((i) => i >= 0));
	const crumbs = ancestors.slice(from);
	return { ...access, database, unit, crumbs: crumbs.map((a) => ({ id: a.id, label: `${a.type} ${a.name}` })) };
}
