import { sql, type Kysely } from 'kysely';

// What a community digital-technology team needs to help villagers: who helped whom register (and the consent
// they gave), one-time reset codes for a way back in, and login cards (a short code and a PIN).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('app_user')
		// The team member who registered this person for them (null: registered themselves).
		.addColumn('registered_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('birth_year', 'smallint')
		.execute();

	// Consent to the processing of personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): who agreed, who helped,
	// when, to which version of the text.
	await db.schema
		.createTable('consent_record')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('helper_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('text_version', 'text', (c) => c.notNull())
		.addColumn('agreed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('consent_record_user_idx').on('consent_record').column('user_id').execute();

	await db.schema
		.createTable('password_reset_code')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		// SHA-256 (hex) of the code: the printed code is the secret.
		.addColumn('code_hash', 'text', (c) => c.notNull().unique())
		.addColumn('issued_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('password_reset_code_user_idx').on('password_reset_code').column('user_id').execute();

	await db.schema
		.createTable('login_card')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		// Printed on the card and in its QR code; not a secret on its own (the PIN is).
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('pin_hash', 'text', (c) => c.notNull())
		.addColumn('issued_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// Set when a new card or PIN replaced this one: it no longer logs in.
		.addColumn('revoked_at', 'timestamptz')
		.execute();
	await sql`create unique index login_card_active_idx on login_card (user_id) where revoked_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('login_card').execute();
	await db.schema.dropTable('password_reset_code').execute();
	await db.schema.dropTable('consent_record').execute();
	await db.schema.alterTable('app_user').dropColumn('birth_year').dropColumn('registered_by').execute();
}
