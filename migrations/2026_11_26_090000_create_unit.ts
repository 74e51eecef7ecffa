import { sql, type Kysely } from 'kysely';

// Administrative units (province, district, commune...) from the official code lists. A code is reused across
// reforms (52 is Bình Định until 2025-06-30 and the merged Gia Lai after), so a unit is a code plus its validity
// dates, and code is not unique on its own.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('unit')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('level', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('parent_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('valid_from', 'date')
		// The first day the unit no longer existed in this form; null while it exists.
		.addColumn('valid_to', 'date')
		// Type and name without diacritics, lowercased, words separated by single spaces, with a leading space
		// so that " word" finds the start of any word: " xa van canh".
		.addColumn('search_key', 'text', (c) => c.notNull())
		.execute();
	await sql`alter table unit add constraint unit_code_validity_unique unique nulls not distinct (code, valid_from, valid_to)`.execute(db);
	await db.schema.createIndex('unit_code_idx').on('unit').column('code').execute();
	await sql`create index unit_search_key_idx on unit (search_key text_pattern_ops)`.execute(db);
	await db.schema.createIndex('unit_parent_idx').on('unit').column('parent_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('unit').execute();
}
