import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { deleteSessionTokenCookie, invalidateSession } from '$lib/server/auth/session';
import { clearDeviceStorage } from '$lib/server/offline/clear-device';

export const csr = false;

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user?.kind !== 'learner') redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.session) await invalidateSession(await db(), event.locals.session.id);
		deleteSessionTokenCookie(event);
		// Nothing this person stored on the phone (saved courses, answers waiting to be sent) stays for the next one.
		clearDeviceStorage(event);
		redirect(303, '/');
	}
};
