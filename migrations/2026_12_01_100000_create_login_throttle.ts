import { sql, type Kysely } from 'kysely';

// Login throttling as OWASP describes it: one row per thing being slowed down (an account tried from unknown
// devices, one device, one address), counted before the password is checked. Replaces login_attempt.
// Also: a secret that signs device cookies, and which form of a password a hash was made from.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('login_throttle')
		// 'account:<phone or username>', 'device:<nonce>', 'address:<ip>', 'register:<ip>' ...
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('attempts', 'integer', (c) => c.notNull())
		.addColumn('last_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('login_throttle_last_idx').on('login_throttle').column('last_at').execute();
	await db.schema.dropTable('login_attempt').execute();

	await db.schema
		.createTable('app_secret')
		.addColumn('name', 'text', (c) => c.primaryKey())
		// 32 random bytes, hex.
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// 0: hash of the password as typed (NFC only); 1: hash of its canonical Vietnamese form (tone placement).
	// Existing rows are 0 and are rehashed at their next successful login; new rows are 1.
	await db.schema.alterTable('app_user').addColumn('password_version', 'smallint', (c) => c.notNull().defaultTo(0)).execute();
	await sql`alter table app_user alter column password_version set default 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('app_user').dropColumn('password_version').execute();
	await db.schema.dropTable('app_secret').execute();
	await db.schema.dropTable('login_throttle').execute();
	await db.schema
		.createTable('login_attempt')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('scope', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}
