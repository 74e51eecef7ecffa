import { sql, type Kysely } from 'kysely';

// Officials' bulk work: importing a unit's civil servants from a spreadsheet (a preview kept on the server between
// upload and confirmation, the batch, each person's position), one-time setup codes (a purpose on reset codes), and
// course or programme assignments to everyone of a unit, present and future.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// An uploaded list waiting for the official to confirm it: the rows as read, for the official who uploaded it only.
	await db.schema
		.createTable('account_import_draft')
		// SHA-256 (hex) of the random token the preview page carries.
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('file_name', 'text', (c) => c.notNull())
		.addColumn('rows', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('account_import')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('file_name', 'text', (c) => c.notNull())
		.addColumn('row_count', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.alterTable('app_user')
		// Chức vụ, as the unit's list gives it.
		.addColumn('position', 'text')
		.addColumn('account_import_id', 'integer', (c) => c.references('account_import.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('app_user_account_import_idx').on('app_user').column('account_import_id').execute();

	// 'reset': a way back in for someone who had one; 'setup': the first password of an account an official made.
	await db.schema
		.alterTable('password_reset_code')
		.addColumn('purpose', 'text', (c) => c.notNull().defaultTo('reset').check(sql`purpose in ('reset', 'setup')`))
		.execute();

	// A course or programme given with a due date to everyone of a unit's scope (optionally of one audience),
	// including people who join it later. Each person's assignments made from it point back to it.
	await db.schema
		.createTable('unit_assignment')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('course_id', 'integer', (c) => c.references('course.id'))
		.addColumn('programme_id', 'integer', (c) => c.references('programme.id'))
		.addColumn('audience', 'text')
		.addColumn('due_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('unit_assignment_subject_check', sql`(course_id is null) <> (programme_id is null)`)
		.execute();
	await db.schema.createIndex('unit_assignment_unit_idx').on('unit_assignment').column('unit_id').execute();

	await db.schema
		.alterTable('assignment')
		.addColumn('unit_assignment_id', 'integer', (c) => c.references('unit_assignment.id').onDelete('cascade'))
		.execute();
	await db.schema.createIndex('assignment_unit_assignment_idx').on('assignment').column('unit_assignment_id').execute();
	await db.schema.createIndex('assignment_due_idx').on('assignment').column('due_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('assignment').dropColumn('unit_assignment_id').execute();
	await db.schema.dropIndex('assignment_due_idx').ifExists().execute();
	await db.schema.dropTable('unit_assignment').execute();
	await db.schema.alterTable('password_reset_code').dropColumn('purpose').execute();
	await db.schema.alterTable('app_user').dropColumn('account_import_id').dropColumn('position').execute();
	await db.schema.dropTable('account_import').execute();
	await db.schema.dropTable('account_import_draft').execute();
}
