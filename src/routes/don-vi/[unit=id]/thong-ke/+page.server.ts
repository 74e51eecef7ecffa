import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { replicaDb } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { buildDashboard } from '$lib/server/stats/dashboard';
import { serverRendered } from '$lib/server-rendered';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	// The guard also tells whether the person may open the unit above (for the way up).
	const { parentAllowed } = await requireUnitRole(event, ['official'], unitId);
	// Statistics may lag the primary by a moment: read from the replica when there is one (DATABASE_REPLICA_URL).
	const dashboard = await buildDashboard(await replicaDb(), unitId, event.url, (id, query) => `/don-vi/${id}/thong-ke${query}`);
	if (!dashboard) error(404, 'Không tìm thấy đơn vị');
	// The page ships no client code (csr = false): none of its data is written into the page (see serverRendered).
	return serverRendered({ dashboard, query: event.url.search, upId: parentAllowed ? dashboard.unit.parentId : null });
};
