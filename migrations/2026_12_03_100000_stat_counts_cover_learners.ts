import { sql, type Kysely } from 'kysely';

// The dashboards read many rows of the running counts at once (a province's units below over a year, a year of
// weeks): with the count itself in the primary key's index (INCLUDE), those reads are index-only scans instead of
// one heap visit per row. The key (what is unique) is unchanged; the index replaces the old one, it is not a second.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	for (const [table, col] of [
		['stat_day', 'day'],
		['stat_month', 'month']
	] as const) {
		await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_pk`)},
			add constraint ${sql.ref(`${table}_pk`)} primary key (unit_id, kind, subject_id, ${sql.ref(col)}, audience, partial) include (learners)`.execute(db);
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const [table, col] of [
		['stat_day', 'day'],
		['stat_month', 'month']
	] as const) {
		await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_pk`)},
			add constraint ${sql.ref(`${table}_pk`)} primary key (unit_id, kind, subject_id, ${sql.ref(col)}, audience, partial)`.execute(db);
	}
}
