import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { db, replicaDb } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { buildDashboard } from '$lib/server/stats/dashboard';
import { grantsCovering } from '$lib/server/units/scope';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	const { user, isAdmin } = await requireUnitRole(event, ['official'], unitId);
	const database = await db();
	// Statistics may lag the primary by a moment: read from the replica when there is one (DATABASE_REPLICA_URL).
	const dashboard = await buildDashboard(await replicaDb(), unitId, event.url, (id, query) => `/don-vi/${id}/thong-ke${query}`);
	if (!dashboard) error(404, 'Không tìm thấy đơn vị');
	// The way up only for those who may see the unit above.
	const parentId = dashboard.unit.parentId;
	const canGoUp = parentId !== null && (isAdmin || (await grantsCovering(database, user, ['official'], parentId)).length > 0);
	return { dashboard, query: event.url.search, upId: canGoUp ? parentId : null };
};
