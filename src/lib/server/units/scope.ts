import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { Role, RoleGrant } from '$lib/server/auth/roles';

type Db = Kysely<Database> | Transaction<Database>;

/** One row of unit_scope: `unitId` counts under `ancestorId`. */
export interface ScopeRow {
	ancestorId: number;
	unitId: number;
	depth: number;
	partial: boolean;
}

interface Edge {
	to: number;
	/** Tree steps: 1 for parent -> child, 0 for new unit -> old unit that flowed into it. */
	steps: 0 | 1;
	partial: boolean;
}

/**
 * The closure of the tree plus lineage, computed from the unit and unit_lineage rows: for every unit A, A itself
 * (depth 0), its descendants, and every unit that flowed into one of those by lineage, with that unit's own
 * descendants. depth is the fewest tree steps on the way (a lineage step counts 0). A unit is partial under A when
 * every way from A to it passes through a partial lineage step; one way of full steps is enough to make it whole.
 */
export function computeUnitScope(
	units: readonly { id: number; parentId: number | null }[],
	lineage: readonly { oldUnitId: number; newUnitId: number; kind: 'full' | 'partial' }[]
): ScopeRow[] {
	const edges = new Map<number, Edge[]>();
	const add = (from: number, e: Edge) => {
		const list = edges.get(from);
		if (list) list.push(e);
		else edges.set(from, [e]);
	};
	for (const u of units) if (u.parentId !== null) add(u.parentId, { to: u.id, steps: 1, partial: false });
	for (const l of lineage) add(l.newUnitId, { to: l.oldUnitId, steps: 0, partial: l.kind === 'partial' });

	/** Fewest tree steps from `start` to each reachable unit (0-1 breadth-first search), using only allowed edges. */
	const reach = (start: number, allow: (e: Edge) => boolean): Map<number, number> => {
		const dist = new Map<number, number>([[start, 0]]);
		const deque: number[] = [start];
		while (deque.length) {
			const at = deque.shift()!;
			const d = dist.get(at)!;
			for (const e of edges.get(at) ?? []) {
				if (!allow(e)) continue;
				const nd = d + e.steps;
				const known = dist.get(e.to);
				if (known !== undefined && known <= nd) continue;
				dist.set(e.to, nd);
				if (e.steps === 0) deque.unshift(e.to);
				else deque.push(e.to);
			}
		}
		return dist;
	};

	const rows: ScopeRow[] = [];
	for (const u of units) {
		const whole = reach(u.id, (e) => !e.partial);
		const any = reach(u.id, () => true);
		for (const [unitId, depth] of any) {
			const full = whole.get(unitId);
			rows.push({ ancestorId: u.id, unitId, depth: full ?? depth, partial: full === undefined });
		}
	}
	return rows;
}

/** Refills unit_scope from the unit and unit_lineage tables. Run after any change to the tree or the lineage. */
export async function rebuildUnitScope(trx: Transaction<Database>): Promise<number> {
	const units = await trx.selectFrom('unit').select(['id', 'parent_id']).execute();
	const lineage = await trx.selectFrom('unit_lineage').select(['old_unit_id', 'new_unit_id', 'kind']).execute();
	const rows = computeUnitScope(
		units.map((u) => ({ id: u.id, parentId: u.parent_id })),
		lineage.map((l) => ({ oldUnitId: l.old_unit_id, newUnitId: l.new_unit_id, kind: l.kind }))
	);
	await trx.deleteFrom('unit_scope').execute();
	for (let i = 0; i < rows.length; i += 2000) {
		await trx
			.insertInto('unit_scope')
			.values(rows.slice(i, i + 2000).map((r) => ({ ancestor_id: r.ancestorId, unit_id: r.unitId, depth: r.depth, partial: r.partial })))
			.execute();
	}
	return rows.length;
}

/**
 * Adds a new leaf unit (a hamlet: no children, no lineage) to unit_scope: it counts under itself and under
 * everything its parent counts under, one level deeper. Same result as rebuildUnitScope, without reading the tree.
 */
export async function addLeafToScope(trx: Transaction<Database>, unitId: number, parentId: number): Promise<void> {
	await trx
		.insertInto('unit_scope')
		.columns(['ancestor_id', 'unit_id', 'depth', 'partial'])
		.expression((eb) =>
			eb
				.selectFrom('unit_scope')
				.select(['ancestor_id', sql.lit(unitId).as('unit_id'), sql<number>`depth + 1`.as('depth'), 'partial'])
				.where('unit_id', '=', parentId)
		)
		.execute();
	await trx.insertInto('unit_scope').values({ ancestor_id: unitId, unit_id: unitId, depth: 0, partial: false }).execute();
}

/**
 * Keeps the rows of a query whose unit (the column `unitColumn`, e.g. 'u.unit_id') counts under `scopeUnitId`: that
 * unit itself, the units below it, and those that flowed into one of them. Joins unit_scope as `s` (s.depth: how far
 * below). For `$call`: `db.selectFrom('user_role as r').$call(inScope('r.unit_id', unitId))`.
 */
export function inScope(unitColumn: `${string}.unit_id`, scopeUnitId: number) {
	return <DB extends Database, TB extends keyof DB & string, O>(qb: SelectQueryBuilder<DB, TB, O>) =>
		qb.innerJoin('unit_scope as s', (j) => j.on(sql<boolean>`s.unit_id = ${sql.ref(unitColumn)} and s.ancestor_id = ${scopeUnitId}`));
}

/** Whether `unitId` counts under `scopeUnitId` (itself, below it, or flowed into it by lineage): one indexed lookup. */
export async function isUnitInScope(db: Db, scopeUnitId: number, unitId: number): Promise<boolean> {
	const row = await db
		.selectFrom('unit_scope')
		.select('unit_id')
		.where('ancestor_id', '=', scopeUnitId)
		.where('unit_id', '=', unitId)
		.executeTakeFirst();
	return !!row;
}

/**
 * The user's grants of the given roles that cover the unit: an admin grant (when 'admin' is among the roles)
 * covers every unit, any other grant the units in its unit's scope.
 */
export async function grantsCovering(db: Db, user: { roles: readonly RoleGrant[] }, roles: readonly Role[], unitId: number): Promise<RoleGrant[]> {
	const candidates = user.roles.filter((g) => roles.includes(g.role));
	const scopedIds = [...new Set(candidates.flatMap((g) => (g.unitId === null ? [] : [g.unitId])))];
	let covering = new Set<number>();
	if (scopedIds.length) {
		const rows = await db
			.selectFrom('unit_scope')
			.select('ancestor_id')
			.where('unit_id', '=', unitId)
			.where('ancestor_id', 'in', scopedIds)
			.execute();
		covering = new Set(rows.map((r) => r.ancestor_id));
	}
	return candidates.filter((g) => g.unitId === null || covering.has(g.unitId));
}
