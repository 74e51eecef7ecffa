import { hasRole } from '$lib/server/auth/roles';
import type { User } from '$lib/server/auth/user';
import { getContentStatus } from '$lib/server/content';

/** What the site header shows a person: read by the root layout and by stored lesson pages (page-cache.ts). */
export function headerOf(user: User | null) {
	// Whoever can fix the courses is told on every page when the files have errors (learners keep the last good version).
	const status = hasRole(user, 'admin') || hasRole(user, 'trainer') ? getContentStatus() : null;
	return {
		contentErrors: status?.stale ? status.errorCount : 0,
		// Only a learner is "logged in"; a guest has a session for their progress but no account.
		user: user?.kind === 'learner' ? { id: user.id, fullName: user.fullName } : null,
		// Officials (and administrators) get a link to the pages of their units.
		managesUnits: hasRole(user, 'official') || hasRole(user, 'admin'),
		// Trainers, officials and administrators read the course analytics.
		readsAnalytics: hasRole(user, 'trainer') || hasRole(user, 'official') || hasRole(user, 'admin'),
		isGuest: user?.kind === 'guest',
		// Who is using this browser, for the offline queue: answers stored on the phone are sent only for them.
		who: user ? `${user.kind === 'guest' ? 'g' : 'u'}${user.id}` : ''
	};
}
