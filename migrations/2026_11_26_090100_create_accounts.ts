import { sql, type Kysely } from 'kysely';

// People (guests and learners), their sessions, roles and failed logins. A guest is a real row from the first
// quiz answer on, so progress has an owner before anyone registers; registering upgrades the same row.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('app_user')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('guest', 'learner')`))
		.addColumn('full_name', 'text')
		// Vietnamese mobile number as 10 digits starting with 0.
		.addColumn('phone', 'text', (c) => c.unique())
		// Lowercase; for people without a phone number.
		.addColumn('username', 'text', (c) => c.unique())
		.addColumn('password_hash', 'text')
		.addColumn('audience', 'text', (c) => c.check(sql`audience in ('citizen', 'civil_servant', 'team_member')`))
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		// When the person agreed to the processing of their personal data (Law 91/2025/QH15).
		.addColumn('consented_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// Set when the person deleted their account: identity fields are cleared, the row stays for counts.
		.addColumn('deleted_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('user_session')
		// SHA-256 (hex) of the token in the cookie: a database leak does not hand out live sessions.
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute();

	await db.schema
		.createTable('user_role')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		// The unit (and its subtree) the role applies to; null for roles over everything (admin).
		.addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await sql`alter table user_role add constraint user_role_unique unique nulls not distinct (user_id, role, unit_id)`.execute(db);

	await db.schema
		.createTable('login_attempt')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		// 'account' (subject = phone or username as typed, normalised) or 'address' (subject = client IP).
		.addColumn('scope', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('login_attempt_subject_idx')
		.on('login_attempt')
		.columns(['scope', 'subject', 'created_at'])
		.execute();
	await db.schema.createIndex('login_attempt_created_idx').on('login_attempt').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('login_attempt').execute();
	await db.schema.dropTable('user_role').execute();
	await db.schema.dropTable('user_session').execute();
	await db.schema.dropTable('app_user').execute();
}
