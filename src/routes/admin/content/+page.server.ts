import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { getContent, getContentStatus, reloadContent } from '$lib/server/content';
import { describeContentStatus } from '$lib/server/content/status-view';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	await getContent();
	return describeContentStatus(getContentStatus());
};

export const actions: Actions = {
	reload: async (event) => {
		requireRole(event, 'admin');
		const status = await reloadContent();
		return { reloaded: !status.stale };
	}
};
