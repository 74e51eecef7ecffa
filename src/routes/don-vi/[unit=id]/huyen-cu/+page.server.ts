import type { PageServerLoad } from './$types';
import { replicaDb } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { buildFormerDistricts } from '$lib/server/stats/dashboard';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const unitId = parseId(event.params.unit)!;
	await requireUnitRole(event, ['official'], unitId);
	const view = await buildFormerDistricts(await replicaDb(), unitId, event.url, (id, query) => `/don-vi/${id}/thong-ke${query}`);
	return { unitId, view, query: event.url.search };
};
