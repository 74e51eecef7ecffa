import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { PASSWORD_VERSION } from './password';
import type { RoleGrant } from './roles';

export type Audience = 'citizen' | 'civil_servant' | 'team_member';
export const AUDIENCES: Audience[] = ['citizen', 'civil_servant', 'team_member'];

/** The person behind a request, as `event.locals.user`. A guest has a session but no name or password. */
export interface User {
	id: number;
	kind: 'guest' | 'learner';
	fullName: string | null;
	audience: string | null;
	unitId: number | null;
	roles: RoleGrant[];
}

type Db = Kysely<Database> | Transaction<Database>;

/** The roles of the user aliased `u` in a query, as a JSON array of RoleGrant (admin first, empty when none). */
export const rolesOfU = sql<RoleGrant[]>`coalesce((select json_agg(json_build_object('role', r.role, 'unitId', r.unit_id) order by r.role, r.unit_id nulls first) from user_role r where r.user_id = u.id), '[]'::json)`;

export async function getUserById(db: Db, id: number): Promise<User | undefined> {
	const row = await db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.kind', 'u.full_name', 'u.audience', 'u.unit_id', rolesOfU.as('roles')])
		.where('u.id', '=', id)
		.where('u.deleted_at', 'is', null)
		.executeTakeFirst();
	return row && { id: row.id, kind: row.kind, fullName: row.full_name, audience: row.audience, unitId: row.unit_id, roles: row.roles };
}

/** A new guest: a user with no identity yet, so a visitor's answers and progress have an owner. */
export async function createGuestUser(db: Db): Promise<User> {
	const { id } = await db.insertInto('app_user').values({ kind: 'guest' }).returning('id').executeTakeFirstOrThrow();
	return { id, kind: 'guest', fullName: null, audience: null, unitId: null, roles: [] };
}

export const USERNAME_MESSAGE =
	'Tên đăng nhập cần 3 đến 32 ký tự, bắt đầu bằng chữ cái, chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.';

/** Lowercased username, or null when it does not follow the rules in USERNAME_MESSAGE. */
export function normalizeUsername(input: string): string | null {
	const u = input.trim().toLowerCase();
	return /^[a-z][a-z0-9._-]{2,31}$/.test(u) ? u : null;
}

/** Who may log in with this phone number or username; deleted accounts have neither. */
export async function findLoginAccount(db: Db, by: { phone: string } | { username: string }) {
	let q = db.selectFrom('app_user').select(['id', 'password_hash', 'password_version']).where('kind', '=', 'learner').where('deleted_at', 'is', null);
	q = 'phone' in by ? q.where('phone', '=', by.phone) : q.where('username', '=', by.username);
	return q.executeTakeFirst();
}

export async function isPhoneTaken(db: Db, phone: string): Promise<boolean> {
	return !!(await db.selectFrom('app_user').select('id').where('phone', '=', phone).executeTakeFirst());
}

export async function isUsernameTaken(db: Db, username: string): Promise<boolean> {
	return !!(await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst());
}

/** What the account page shows and the data export contains about the person (never the password hash). */
export async function getAccountProfile(db: Db, userId: number) {
	return db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.kind', 'u.full_name', 'u.phone', 'u.username', 'u.audience', 'u.unit_id', 'u.consented_at', 'u.created_at'])
		.where('u.id', '=', userId)
		.where('u.deleted_at', 'is', null)
		.executeTakeFirst();
}

export async function getPasswordHash(db: Db, userId: number): Promise<{ hash: string; version: number } | null> {
	const row = await db
		.selectFrom('app_user')
		.select(['password_hash', 'password_version'])
		.where('id', '=', userId)
		.where('deleted_at', 'is', null)
		.executeTakeFirst();
	return row?.password_hash ? { hash: row.password_hash, version: row.password_version } : null;
}

/** Stores a hash made by hashPassword (so of the canonical form: version PASSWORD_VERSION). */
export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
	await db.updateTable('app_user').set({ password_hash: passwordHash, password_version: PASSWORD_VERSION }).where('id', '=', userId).execute();
}

/**
 * Removes a person's identity: name, phone, username and password hash are cleared, sessions and roles deleted,
 * deleted_at set. The row stays, with its audience and unit, so attempts and records already counted in a unit's
 * numbers still count, now anonymous.
 */
export async function anonymizeUser(trx: Transaction<Database>, userId: number): Promise<void> {
	await trx
		.updateTable('app_user')
		.set({ full_name: null, phone: null, username: null, password_hash: null, position: null, deleted_at: sql<Date>`now()` })
		.where('id', '=', userId)
		.execute();
	await trx.deleteFrom('user_session').where('user_id', '=', userId).execute();
	await trx.deleteFrom('user_role').where('user_id', '=', userId).execute();
}
