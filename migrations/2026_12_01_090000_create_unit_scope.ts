import { sql, type Kysely } from 'kysely';

// What counts under a unit, across the tree and across reforms, and who did what to whom.
// - unit.retired_at: a hamlet the commune no longer uses; hidden from pickers, never deleted (people and records
//   refer to it).
// - unit_lineage: old unit -> new unit of a merger or split, 'full' (all of it went there) or 'partial'.
// - unit_scope: the closure of the tree plus lineage, so "does unit U count under A?" is one indexed lookup.
// - audit_log: grants, removals and administrative actions, readable by the officials above the unit concerned.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('unit').addColumn('retired_at', 'timestamptz').execute();

	await db.schema
		.createTable('unit_lineage')
		.addColumn('old_unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('new_unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('full', 'partial')`))
		.addPrimaryKeyConstraint('unit_lineage_pk', ['old_unit_id', 'new_unit_id'])
		.execute();
	await db.schema.createIndex('unit_lineage_new_idx').on('unit_lineage').column('new_unit_id').execute();

	await db.schema
		.createTable('unit_scope')
		.addColumn('ancestor_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		// Tree steps from the ancestor down to the unit; a lineage step (old unit -> the unit it became) counts 0.
		.addColumn('depth', 'integer', (c) => c.notNull())
		// Every way from the ancestor to the unit passes through a partial lineage step: only part of the unit
		// lies under the ancestor.
		.addColumn('partial', 'boolean', (c) => c.notNull())
		.addPrimaryKeyConstraint('unit_scope_pk', ['ancestor_id', 'unit_id'])
		.execute();
	await db.schema.createIndex('unit_scope_unit_idx').on('unit_scope').column('unit_id').execute();

	// Roles are a closed list; admin holds over everything, every other role over one unit's scope.
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('admin', 'official', 'trainer', 'team_member') and ((role = 'admin') = (unit_id is null)))`.execute(db);
	await db.schema.createIndex('user_role_user_idx').on('user_role').column('user_id').execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// Null for actions taken from the command line on the server.
		.addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
		// A short dotted name: role.grant, role.revoke, record.revoke, assignment.create, hamlet.add ...
		.addColumn('action', 'text', (c) => c.notNull())
		// The unit in whose subtree the action happened; null for actions over everything (the admin role).
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('target_user_id', 'integer', (c) => c.references('app_user.id'))
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();
	await db.schema.createIndex('audit_log_unit_at_idx').on('audit_log').columns(['unit_id', 'at']).execute();
	await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('audit_log').execute();
	await db.schema.dropIndex('user_role_user_idx').execute();
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await db.schema.dropTable('unit_scope').execute();
	await db.schema.dropTable('unit_lineage').execute();
	await db.schema.alterTable('unit').dropColumn('retired_at').execute();
}
