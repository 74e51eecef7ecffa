import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import { migrateToLatest } from '../../src/lib/server/db/migrator';
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
});
