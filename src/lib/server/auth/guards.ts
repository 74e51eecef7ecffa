import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { sql, type RawBuilder } from 'kysely';
import { db } from '$lib/server/db';
import { createSession, generateSessionToken, setSessionTokenCookie } from './session';
import { consumeAttempt, THROTTLE, waitInWords } from './throttle';
import { createGuestUser, type User } from './user';
import { hasRole, type Role, type RoleGrant } from './roles';

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
 * `roles` that cover the unit (all of them when no unit is given). With a unit, one query also tells whether the
 * unit directly above it is open to the user under the same roles (`parentId`, `parentAllowed`), for a link up.
 */
export async function requireUnitRole(
	event: Event,
	roles: Role[],
	unitId?: number
): Promise<{ user: User; isAdmin: boolean; grants: RoleGrant[]; parentId: number | null; parentAllowed: boolean }> {
	const user = requireUser(event);
	const isAdmin = hasRole(user, 'admin');
	if (!isAdmin && !user.roles.some((g) => roles.includes(g.role))) error(403, 'Bạn không có quyền xem trang này.');
	const candidates = user.roles.filter((g) => roles.includes(g.role));
	if (unitId === undefined) return { user, isAdmin, grants: candidates, parentId: null, parentAllowed: false };
	const scopedIds = [...new Set(candidates.flatMap((g) => (g.unitId === null ? [] : [g.unitId])))];
	const inScope = (unit: RawBuilder<unknown>) =>
		scopedIds.length
			? sql<number[]>`array(select s.ancestor_id from unit_scope s where s.unit_id = ${unit} and s.ancestor_id in (${sql.join(scopedIds)}))`
			: sql<number[]>`'{}'::int[]`;
	const database = await db();
	const { rows } = await sql<{ parent_id: number | null; covering: number[]; parent_covering: number[] }>`
		select u.parent_id, ${inScope(sql`u.id`)} as covering, ${inScope(sql`u.parent_id`)} as parent_covering
		from unit u where u.id = ${unitId}`.execute(database);
	const unit = rows[0];
	if (!unit) error(404, 'Không tìm thấy đơn vị');
	const covering = new Set(unit.covering.map(Number));
	const grants = candidates.filter((g) => g.unitId === null || covering.has(g.unitId));
	if (!isAdmin && grants.length === 0) error(403, 'Bạn không có quyền xem trang của đơn vị này.');
	const parentCovering = new Set(unit.parent_covering.map(Number));
	const parentAllowed = unit.parent_id !== null && (isAdmin || candidates.some((g) => g.unitId === null || parentCovering.has(g.unitId)));
	return { user, isAdmin, grants, parentId: unit.parent_id, parentAllowed };
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
