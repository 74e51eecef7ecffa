import type { Kysely, Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { readLoginIdentifier } from './login';
import type { RoleGrant } from './roles';
import { rolesOfU } from './user';

type Db = Kysely<Database> | Transaction<Database>;

export interface UserIdentity {
	id: number;
	fullName: string | null;
	phone: string | null;
	username: string | null;
	unitId: number | null;
	roles: RoleGrant[];
}

/**
 * The account (not a guest, not deleted) a phone number or username names, read as the login form reads it:
 * "0912 345 678", "+84 912 345 678" and "0912345678" are one number, usernames are not case-sensitive.
 */
export async function findUserByLogin(db: Db, input: string): Promise<UserIdentity | undefined> {
	const { by } = readLoginIdentifier(input);
	if (!by) return undefined;
	let q = db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.full_name', 'u.phone', 'u.username', 'u.unit_id', rolesOfU.as('roles')])
		.where('u.kind', '=', 'learner')
		.where('u.deleted_at', 'is', null);
	q = 'phone' in by ? q.where('u.phone', '=', by.phone) : q.where('u.username', '=', by.username);
	const row = await q.executeTakeFirst();
	return row && { id: row.id, fullName: row.full_name, phone: row.phone, username: row.username, unitId: row.unit_id, roles: row.roles };
}
