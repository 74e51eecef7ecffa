import type { Kysely, Transaction } from 'kysely';
import type { Cookies } from '@sveltejs/kit';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';
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

export type SessionValidation = { session: Session; user: User; renewed: boolean } | { session: null; user: null; renewed: false };

type Db = Kysely<Database> | Transaction<Database>;

/** 20 random bytes, base32 (lowercase, no padding): 32 characters. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
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

/**
 * The session and user a token stands for. An expired session is deleted; one with less than
 * SESSION_RENEW_DAYS left is extended (renewed: true, so the cookie is sent again with the new date).
 */
export async function validateSessionToken(db: Db, token: string): Promise<SessionValidation> {
	const none = { session: null, user: null, renewed: false } as const;
	const id = sessionIdOfToken(token);
	if (!id) return none;
	const row = await db
		.selectFrom('user_session as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.select(SESSION_USER_COLUMNS)
		.where('s.id', '=', id)
		.executeTakeFirst();
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
	return { session, user, renewed };
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
