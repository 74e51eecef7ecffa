import type { Kysely, Transaction } from 'kysely';
import type { Cookies } from '@sveltejs/kit';
import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '$lib/server/db/schema';
import { rolesOfU, type User } from './user';

// Sessions as in the Lucia guide: the cookie holds a random token, the database only its SHA-256.

export const SESSION_COOKIE = 'session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_DAYS = 30;
/** A session used with less than this left is extended to SESSION_DAYS again. */
export const SESSION_RENEW_DAYS = 15;

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

/** The learner's progress in one lesson (null: not started). */
export interface PageLessonProgress {
	read: boolean;
	passed: boolean;
	bestScore: number | null;
}

export type SessionValidation =
	| { session: Session; user: User; renewed: boolean; lessonProgress?: PageLessonProgress | null; lessonOpened?: boolean }
	| { session: null; user: null; renewed: false; lessonProgress?: undefined; lessonOpened?: undefined };

/** A lesson_progress row as the pages show it (null: the learner has not started the lesson). */
export function toLessonProgress(row: { read_at: Date | null; passed_at: Date | null; best_score: number | null } | undefined): PageLessonProgress | null {
	return row ? { read: row.read_at !== null, passed: row.passed_at !== null, bestScore: row.best_score } : null;
}

type Db = Kysely<Database> | Transaction<Database>;

/** 20 random bytes, base32 (lowercase, no padding): 32 characters. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	// Node's own SHA-256 (the same digest, hex): checked on nearly every request.
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createSession(db: Db, token: string, userId: number): Promise<Session> {
	const session: Session = { id: sessionIdOf(token), userId, expiresAt: new Date(Date.now() + SESSION_DAYS * DAY) };
	await db.insertInto('user_session').values({ id: session.id, user_id: userId, expires_at: session.expiresAt }).execute();
	return session;
}

/** The columns a session check reads: the session, its user and the user's roles (user_session s, app_user u). */
export const SESSION_USER_COLUMNS = ['s.id', 's.user_id', 's.expires_at', 'u.kind', 'u.full_name', 'u.audience', 'u.unit_id', 'u.deleted_at', rolesOfU.as('roles')] as const;

/** A row of SESSION_USER_COLUMNS. */
export interface SessionUserRow {
	id: string;
	user_id: number;
	expires_at: Date;
	kind: 'guest' | 'learner';
	full_name: string | null;
	audience: string | null;
	unit_id: number | null;
	deleted_at: Date | null;
	roles: User['roles'];
}

/** Whether a session row may be used as it is: not expired, its user not deleted, and not yet due for renewal. */
export function isSessionCurrent(row: SessionUserRow, now = Date.now()): boolean {
	return !row.deleted_at && row.expires_at.getTime() - now >= SESSION_RENEW_DAYS * DAY;
}

/** The session and user of a row that isSessionCurrent accepted. */
export function sessionOfRow(row: SessionUserRow): { session: Session; user: User } {
	return {
		session: { id: row.id, userId: row.user_id, expiresAt: row.expires_at },
		user: { id: row.user_id, kind: row.kind, fullName: row.full_name, audience: row.audience, unitId: row.unit_id, roles: row.roles }
	};
}

const ID_SLOT = '\u0000session';
const LESSON_SLOT = -1;

function buildSessionQuery(db: Db) {
	return db
		.selectFrom('user_session as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.leftJoin('lesson_progress as p', (join) => join.onRef('p.user_id', '=', 's.user_id').on('p.lesson_id', '=', LESSON_SLOT as number | null))
		.leftJoin('lesson_open as o', (join) => join.onRef('o.user_id', '=', 's.user_id').on('o.lesson_id', '=', LESSON_SLOT as number | null))
		.select(SESSION_USER_COLUMNS)
		.select(['p.user_id as progress_user_id', 'p.read_at', 'p.passed_at', 'p.best_score', 'o.user_id as opened_user_id'])
		.where('s.id', '=', ID_SLOT)
		.compile();
}

// The session is looked up on nearly every request: its query is built and compiled once (per database handle)
// and run with this request's values in the places of the placeholders.
const sessionQueries = new WeakMap<Db, { query: ReturnType<typeof buildSessionQuery>; idAt: number; lessonAt: number[] }>();
function sessionQuery(db: Db) {
	let q = sessionQueries.get(db);
	if (!q) {
		const query = buildSessionQuery(db);
		const lessonAt = query.parameters.flatMap((p, i) => (p === LESSON_SLOT ? [i] : []));
		q = { query, idAt: query.parameters.indexOf(ID_SLOT), lessonAt };
		if (q.idAt < 0 || lessonAt.length !== 2) throw new Error('session query: parameter not found');
		sessionQueries.set(db, q);
	}
	return q;
}

/**
 * The session and user a token stands for. An expired session is deleted; one with less than
 * SESSION_RENEW_DAYS left is extended (renewed: true, so the cookie is sent again with the new date).
 * With `lessonId` (a lesson page) the same query also reads the user's progress in that lesson
 * (`lessonProgress`) and whether they opened it before (`lessonOpened`, so that the trainers' analytics are written
 * only at the first opening): one round trip to the database for the page's personal parts.
 */
export async function validateSessionToken(db: Db, token: string, opts: { lessonId?: number } = {}): Promise<SessionValidation> {
	const none = { session: null, user: null, renewed: false } as const;
	const id = sessionIdOfToken(token);
	if (!id) return none;
	const { query, idAt, lessonAt } = sessionQuery(db);
	const parameters = [...query.parameters];
	parameters[idAt] = id;
	for (const i of lessonAt) parameters[i] = opts.lessonId ?? null;
	const compiled: typeof query = { ...query, parameters };
	const row = (await db.executeQuery(compiled)).rows[0];
	if (!row) return none;
	const now = Date.now();
	if (row.expires_at.getTime() <= now || row.deleted_at) {
		await db.deleteFrom('user_session').where('id', '=', id).execute();
		return none;
	}
	const { session, user } = sessionOfRow(row);
	let renewed = false;
	if (!isSessionCurrent(row, now)) {
		session.expiresAt = new Date(now + SESSION_DAYS * DAY);
		await db.updateTable('user_session').set({ expires_at: session.expiresAt }).where('id', '=', id).execute();
		renewed = true;
	}
	if (opts.lessonId === undefined) return { session, user, renewed };
	return { session, user, renewed, lessonProgress: row.progress_user_id === null ? null : toLessonProgress(row), lessonOpened: row.opened_user_id !== null };
}

/** The session id a cookie's token stands for, or null when the token cannot be one of ours. */
export function sessionIdOfToken(token: string): string | null {
	return /^[a-z2-7]{32}$/.test(token) ? sessionIdOf(token) : null;
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Ends every session of a user, except the one given (the person's current device after a password change). */
export async function invalidateUserSessions(db: Db, userId: number, exceptSessionId?: string): Promise<void> {
	let q = db.deleteFrom('user_session').where('user_id', '=', userId);
	if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
	await q.execute();
}

interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

export function setSessionTokenCookie(event: CookieEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: event.url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionTokenCookie(event: CookieEvent): void {
	event.cookies.delete(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: event.url.protocol === 'https:' });
}
