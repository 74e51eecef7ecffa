import type { Kysely, Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Roles a user can be given.
 * - admin: everything (no unit).
 * - official: a unit and everything in its scope: people, targets, roles below.
 * - trainer: course analytics; personal data only within their unit's scope.
 * - team_member: their hamlet or commune: register villagers, reset codes, login cards, team view.
 */
export const ROLES = ['admin', 'official', 'trainer', 'team_member'] as const;
export type Role = (typeof ROLES)[number];

/** One role of a user, over one unit's scope (null for admin: everything). */
export interface RoleGrant {
	role: Role;
	unitId: number | null;
}

/** Names of the roles as the interface shows them. */
export const ROLE_LABELS: Record<Role, string> = {
	admin: 'quản trị viên',
	official: 'cán bộ quản lý đơn vị',
	trainer: 'giảng viên',
	team_member: 'thành viên tổ công nghệ số cộng đồng'
};

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

/** Whether the user holds the role over some unit (or, for admin, over everything). */
export function hasRole(user: { roles: readonly RoleGrant[] } | null | undefined, role: Role): boolean {
	return !!user?.roles.some((g) => g.role === role);
}

/**
 * Gives a user a role; false when they already had it. admin takes no unit, every other role one unit.
 * Takes effect on their next request (roles are read per request).
 */
export async function grantRole(db: Db, userId: number, role: Role, unitId: number | null = null): Promise<boolean> {
	if ((role === 'admin') !== (unitId === null)) throw new Error(`Role ${role} ${role === 'admin' ? 'takes no unit' : 'needs a unit'}`);
	const row = await db
		.insertInto('user_role')
		.values({ user_id: userId, role, unit_id: unitId })
		.onConflict((oc) => oc.constraint('user_role_unique').doNothing())
		.returning('id')
		.executeTakeFirst();
	return !!row;
}

/** Takes a role away from a user; false when they did not have it. */
export async function revokeRole(db: Db, userId: number, role: Role, unitId: number | null = null): Promise<boolean> {
	let q = db.deleteFrom('user_role').where('user_id', '=', userId).where('role', '=', role);
	q = unitId === null ? q.where('unit_id', 'is', null) : q.where('unit_id', '=', unitId);
	const rows = await q.returning('id').execute();
	return rows.length > 0;
}

/** How many active (not deleted) users hold the role. */
export async function countRoleHolders(db: Db, role: Role): Promise<number> {
	const row = await db
		.selectFrom('user_role')
		.innerJoin('app_user', 'app_user.id', 'user_role.user_id')
		.select((eb) => eb.fn.count<number>('user_role.user_id').distinct().as('n'))
		.where('user_role.role', '=', role)
		.where('app_user.deleted_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
