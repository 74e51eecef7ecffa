import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { countingStatements, createTestDatabase, testDbKind } from './support/test-db';
import { knownMigrations, migrateToLatest } from '../../src/lib/server/db/migrator';
import type { DbHandle } from '../../src/lib/server/db';

describe(`migrations (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase({ migrate: false });
	});
	afterAll(async () => h?.close());

	test('run from an empty database, then are a no-op', async () => {
		const applied = await migrateToLatest(h.db);
		expect(applied.length).toBeGreaterThan(0);
		expect(applied[0]).toMatch(/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z_]+$/);
		const tables = await sql<{ table_name: string }>`
			select table_name from information_schema.tables where table_schema = 'public'`.execute(h.db);
		const names = tables.rows.map((r) => r.table_name);
		for (const t of ['course', 'course_version', 'lesson', 'lesson_version', 'question', 'question_version']) {
			expect(names).toContain(t);
		}
		expect(await migrateToLatest(h.db)).toEqual([]);
	});

	test('an up-to-date database is recognised in one query; one with a migration this build lacks is still refused', async () => {
		await migrateToLatest(h.db);
		const { db: counted, count: statements } = countingStatements(h.db);
		expect(await migrateToLatest(counted)).toEqual([]);
		expect(statements()).toBe(1);
		const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(h.db);
		expect(knownMigrations()).toEqual(rows.map((r) => r.name).sort());

		// A database a newer build has migrated: the migrator's own check speaks, as before.
		await sql`insert into kysely_migration (name, timestamp) values ('2099_01_01_000000_from_a_newer_build', ${new Date().toISOString()})`.execute(h.db);
		try {
			await expect(migrateToLatest(h.db)).rejects.toThrow(/2099_01_01_000000_from_a_newer_build/);
		} finally {
			await sql`delete from kysely_migration where name = '2099_01_01_000000_from_a_newer_build'`.execute(h.db);
		}
		expect(await migrateToLatest(h.db)).toEqual([]);
	});
});
