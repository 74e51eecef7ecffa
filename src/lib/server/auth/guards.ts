import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { createSession, generateSessionToken, setSessionTokenCookie } from './session';
import { createGuestUser, type User } from './user';

type Event = Pick<RequestEvent, 'locals' | 'url' | 'cookies'>;

/** The logged-in (non-guest) user; anyone else is sent to the login page, and back here afterwards. */
export function requireUser(event: Event): User {
	const user = event.locals.user;
	if (!user || user.kind === 'guest') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	return user;
}

/** The logged-in user if they hold the role (anywhere); 403 otherwise. */
export function requireRole(event: Event, role: 'admin'): User {
	const user = requireUser(event);
	if (!user.roles.includes(role)) error(403, 'Bạn không có quyền xem trang này.');
	return user;
}

/**
 * The person learning: the logged-in user or the current guest. A visitor with no session becomes a guest here
 * (a user row and a session cookie), so what they do from now on is kept and follows them when they register
 * or log in.
 */
export async function ensureLearner(event: Event): Promise<User> {
	if (event.locals.user) return event.locals.user;
	const database = await db();
	const token = generateSessionToken();
	const user = await database.transaction().execute(async (trx) => {
		const guest = await createGuestUser(trx);
		event.locals.session = await createSession(trx, token, guest.id);
		return guest;
	});
	setSessionTokenCookie(event, token, event.locals.session!.expiresAt);
	event.locals.user = user;
	return user;
}
