import type { Actions, PageServerLoad } from './$types';
import { requireUnitRole } from '$lib/server/auth/guards';
import { getContent, getContentStatus, reloadContent } from '$lib/server/content';
import { describeContentStatus } from '$lib/server/content/status-view';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	// Trainers write the courses: they see the problems of the files too (nothing personal here).
	await requireUnitRole(event, ['trainer']);
	await getContent();
	return describeContentStatus(getContentStatus());
};

export const actions: Actions = {
	reload: async (event) => {
		await requireUnitRole(event, ['trainer']);
		const status = await reloadContent();
		return { reloaded: !status.stale };
	}
};
