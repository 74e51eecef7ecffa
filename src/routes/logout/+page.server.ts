import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { deleteSessionTokenCookie, invalidateSession } from '$lib/server/auth/session';

export const csr = false;

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user?.kind !== 'learner') redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.session) await invalidateSession(await db(), event.locals.session.id);
		deleteSessionTokenCookie(event);
		redirect(303, '/');
	}
};
