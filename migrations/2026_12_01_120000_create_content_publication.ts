import { sql, type Kysely } from 'kysely';

// Each successful publication of the courses keeps a snapshot of what was served (rendered lessons and their
// questions), so an app started on content with errors can serve the last good version instead of nothing.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('content_publication')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('snapshot', 'jsonb', (c) => c.notNull())
		.addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('content_publication').execute();
}
