import type { LayoutServerLoad } from './$types';
import { isLargeText } from '$lib/server/text-size';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
	const user = locals.user;
	return {
		// Only a learner is "logged in"; a guest has a session for their progress but no account.
		user: user?.kind === 'learner' ? { id: user.id, fullName: user.fullName } : null,
		isGuest: user?.kind === 'guest',
		largeText: isLargeText(cookies)
	};
};
