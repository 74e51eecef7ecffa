import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { createSession, generateSessionToken, setSessionTokenCookie } from './session';
import { consumeAttempt, THROTTLE, waitInWords } from './throttle';
import { createGuestUser, type User } from './user';
import { hasRole, type Role, type RoleGrant } from './roles';
import { grantsCovering } from '$lib/server/units/scope';

type Event = Pick<RequestEvent, 'locals' | 'url' | 'cookies'>;
type WriteEvent = Event & Pick<RequestEvent, 'getClientAddress'>;

/** The logged-in (non-guest) user; anyone else is sent to the login page, and back here afterwards. */
export function requireUser(event: Event): User {
	const user = event.locals.user;
	if (!user || user.kind === 'guest') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	return user;
}

/** The logged-in user if they hold the role (anywhere); 403 otherwise. */
export function requireRole(event: Event, role: Role): User {
	const user = requireUser(event);
	if (!hasRole(user, role)) error(403, 'Bạn không có quyền xem trang này.');
	return user;
}

/**
 * The guard of every unit-scoped page and action. Login required (redirect to /login otherwise); then the user must
 * hold one of `roles` (an administrator always passes) and, when `unitId` is given, that unit must lie in the scope
 * of one of those grants: 403 otherwise, 404 for a unit that does not exist. `grants` are the user's grants of
 * `roles` that cover the unit (all of them when no unit is given).
 */
export async function requireUnitRole(
	event: Event,
	roles: Role[],
	unitId?: number
): Promise<{ user: User; isAdmin: boolean; grants: RoleGrant[] }> {
	const user = requireUser(event);
	const isAdmin = hasRole(user, 'admin');
	if (!isAdmin && !user.roles.some((g) => roles.includes(g.role))) error(403, 'Bạn không có quyền xem trang này.');
	if (unitId === undefined) return { user, isAdmin, grants: user.roles.filter((g) => roles.includes(g.role)) };
	const database = await db();
	const unit = await database.selectFrom('unit').select('id').where('id', '=', unitId).executeTakeFirst();
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const grants = await grantsCovering(database, user, roles, unitId);
	if (!isAdmin && grants.length === 0) error(403, 'Bạn không có quyền xem trang của đơn vị này.');
	return { user, isAdmin, grants };
}

export type LearnerResult = { ok: true; user: User } | { ok: false; message: string };

/**
 * The person learning, for a write worth keeping (a passed quiz, a finished lesson): the logged-in user or the
 * current guest. A visitor with no session becomes a guest here (a user row and a session cookie), so what they do
 * from now on is kept and follows them when they register or log in. New guests are limited per network address
 * (THROTTLE.guest): past the limit the visitor is asked to wait or to log in, and nothing is written.
 */
export async function ensureLearner(event: WriteEvent): Promise<LearnerResult> {
	if (event.locals.user) return { ok: true, user: event.locals.user };
	const database = await db();
	const allowed = await consumeAttempt(database, `guest:${event.getClientAddress()}`, THROTTLE.guest);
	if (!allowed.ok) {
		return {
			ok: false,
			message: `Có quá nhiều người chưa đăng nhập lưu bài từ cùng mạng này. Kết quả dưới đây chưa được lưu. Hãy đăng nhập (hoặc đăng ký) để lưu, hoặc thử lại sau ${waitInWords(allowed.waitSeconds)}.`
		};
	}
	const token = generateSessionToken();
	const user = await database.transaction().execute(async (trx) => {
		const guest = await createGuestUser(trx);
		event.locals.session = await createSession(trx, token, guest.id);
		return guest;
	});
	setSessionTokenCookie(event, token, event.locals.session!.expiresAt);
	event.locals.user = user;
	return { ok: true, user };
}
