import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { writeAudit } from '$lib/server/audit';
import { findUserByLogin } from '$lib/server/auth/find-user';
import { grantRole, isRole, type Role, type RoleGrant } from '$lib/server/auth/roles';
import { grantsCovering, inScope, isUnitInScope } from './scope';

/** Roles an official may give within their scope; admin is given only from the server's command line. */
export const GRANTABLE_ROLES: Role[] = ['official', 'trainer', 'team_member'];

export interface RoleHolder {
	grantId: number;
	userId: number;
	fullName: string | null;
	login: string | null;
	role: Role;
	unitId: number;
	unitType: string;
	unitName: string;
}

/** Everyone holding a role over a unit in the scope of `unitId` (itself, below, or merged into it). */
export async function listRoleHolders(db: Kysely<Database>, unitId: number): Promise<RoleHolder[]> {
	const rows = await db
		.selectFrom('user_role as r')
		.$call(inScope('r.unit_id', unitId))
		.innerJoin('unit', 'unit.id', 'r.unit_id')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['r.id', 'r.user_id', 'r.role', 'r.unit_id', 'u.full_name', 'u.phone', 'u.username', 'unit.type', 'unit.name'])
		.where('u.deleted_at', 'is', null)
		.orderBy('s.depth')
		.orderBy('unit.name')
		.orderBy('r.role')
		.orderBy('u.full_name')
		.limit(500)
		.execute();
	return rows.map((r) => ({
		grantId: r.id,
		userId: r.user_id,
		fullName: r.full_name,
		login: r.phone ?? r.username,
		role: r.role as Role,
		unitId: r.unit_id!,
		unitType: r.type,
		unitName: r.name
	}));
}

export type RoleChange = { ok: true; who: string; role: Role } | { ok: false; field: 'login' | 'role' | 'id'; message: string };

interface Actor {
	id: number;
	roles: readonly RoleGrant[];
}

/** Whether the actor may manage roles over this unit: an administrator, or an official whose scope holds it. */
async function mayManage(db: Kysely<Database>, actor: Actor, unitId: number): Promise<boolean> {
	return (await grantsCovering(db, actor, ['admin', 'official'], unitId)).length > 0;
}

/**
 * Gives the person named by phone number or username a role over `unitId`, writing role.grant to the audit log in
 * the same transaction. The actor must be an administrator or an official whose scope holds the unit (so nobody
 * grants above their own scope); admin cannot be given here, and nobody changes their own roles.
 */
export async function grantUnitRole(db: Kysely<Database>, input: { actor: Actor; unitId: number; login: string; role: string }): Promise<RoleChange> {
	if (!isRole(input.role) || !GRANTABLE_ROLES.includes(input.role)) return { ok: false, field: 'role', message: 'Hãy chọn một vai trò trong danh sách.' };
	const role = input.role;
	if (!input.login.trim()) return { ok: false, field: 'login', message: 'Hãy nhập số điện thoại hoặc tên đăng nhập của người được cấp vai trò.' };
	if (!(await mayManage(db, input.actor, input.unitId))) return { ok: false, field: 'id', message: 'Bạn chỉ cấp được vai trò trong đơn vị mình quản lý.' };
	const target = await findUserByLogin(db, input.login);
	if (!target) {
		return { ok: false, field: 'login', message: 'Không tìm thấy tài khoản có số điện thoại hoặc tên đăng nhập này. Người đó cần đăng ký tài khoản trước.' };
	}
	if (target.id === input.actor.id) return { ok: false, field: 'login', message: 'Bạn không tự cấp vai trò cho mình được; hãy nhờ cán bộ cấp trên.' };
	const who = target.fullName ?? input.login.trim();
	const created = await db.transaction().execute(async (trx) => {
		const done = await grantRole(trx, target.id, role, input.unitId);
		if (done) await writeAudit(trx, { actorUserId: input.actor.id, action: 'role.grant', unitId: input.unitId, targetUserId: target.id, details: { role } });
		return done;
	});
	if (!created) return { ok: false, field: 'login', message: `${who} đã có vai trò này ở đơn vị này.` };
	return { ok: true, who, role };
}

/**
 * Removes one role grant, found by id among the grants over units in the scope of `scopeUnitId`, writing
 * role.revoke to the audit log. The actor must manage the grant's unit; admin grants and the actor's own are out of reach.
 */
export async function revokeUnitRole(db: Kysely<Database>, input: { actor: Actor; scopeUnitId: number; grantId: number }): Promise<RoleChange> {
	return db.transaction().execute(async (trx) => {
		const grant = await trx
			.selectFrom('user_role as r')
			.innerJoin('app_user as u', 'u.id', 'r.user_id')
			.select(['r.id', 'r.user_id', 'r.role', 'r.unit_id', 'u.full_name', 'u.phone', 'u.username'])
			.where('r.id', '=', input.grantId)
			.forUpdate()
			.executeTakeFirst();
		const gone = { ok: false as const, field: 'id' as const, message: 'Không tìm thấy vai trò này: có thể đã được thu hồi. Danh sách dưới đây là mới nhất.' };
		if (!grant || grant.unit_id === null || !isRole(grant.role)) return gone;
		if (!(await isUnitInScope(trx, input.scopeUnitId, grant.unit_id))) return gone;
		if (!(await mayManage(trx, input.actor, grant.unit_id))) return { ok: false as const, field: 'id' as const, message: 'Bạn chỉ thu hồi được vai trò trong đơn vị mình quản lý.' };
		if (grant.user_id === input.actor.id) return { ok: false as const, field: 'id' as const, message: 'Bạn không tự thu hồi vai trò của mình được; hãy nhờ cán bộ cấp trên.' };
		await trx.deleteFrom('user_role').where('id', '=', grant.id).execute();
		await writeAudit(trx, { actorUserId: input.actor.id, action: 'role.revoke', unitId: grant.unit_id, targetUserId: grant.user_id, details: { role: grant.role } });
		return { ok: true as const, who: grant.full_name ?? grant.phone ?? grant.username ?? `#${grant.user_id}`, role: grant.role };
	});
}

export interface AuditView {
	id: number;
	at: Date;
	action: string;
	actorName: string | null;
	targetName: string | null;
	unitType: string | null;
	unitName: string | null;
	details: Record<string, unknown>;
}

/** The latest audit entries about units in the scope of `unitId`, newest first. */
export async function listUnitAudit(db: Kysely<Database>, unitId: number, limit = 200): Promise<AuditView[]> {
	const rows = await db
		.selectFrom('audit_log as a')
		.$call(inScope('a.unit_id', unitId))
		.innerJoin('unit', 'unit.id', 'a.unit_id')
		.leftJoin('app_user as actor', 'actor.id', 'a.actor_user_id')
		.leftJoin('app_user as target', 'target.id', 'a.target_user_id')
		.select([
			'a.id',
			'a.at',
			'a.action',
			'a.details',
			'unit.type',
			'unit.name',
			sql<string | null>`coalesce(actor.full_name, actor.username, actor.phone)`.as('actor_name'),
			sql<string | null>`coalesce(target.full_name, target.username, target.phone)`.as('target_name')
		])
		.orderBy('a.at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: Number(r.id),
		at: r.at,
		action: r.action,
		actorName: r.actor_name,
		targetName: r.target_name,
		unitType: r.type,
		unitName: r.name,
		details: r.details ?? {}
	}));
}
