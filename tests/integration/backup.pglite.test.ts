import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { createLearner, newKey, publishFixtureContent } from './support/learning';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrator';
import { seedPgdataFromTemplate } from '../../src/lib/server/db/pgdata-template';
import { submitQuiz } from '../../src/lib/server/learning/attempts';
import type { Database } from '../../src/lib/server/db/schema';

// The backup and restore of docs/operations.md, done as written: pg_dump / pg_restore for a PostgreSQL server, a
// copy of the stopped data directory for the embedded database. Every row of every table must come back.

/** Row counts of every table, and the record codes. */
async function snapshot(db: Kysely<Database>) {
	const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
	const counts: Record<string, number> = {};
	for (const { name } of tables.rows) {
		const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
		counts[name] = r.rows[0].n;
	}
	const codes = (await db.selectFrom('completion_record').select('code').orderBy('code').execute()).map((r) => r.code);
	return { counts, codes };
}

/** Learners with attempts and completion records: the fixture course of one question, passed by each. */
async function fill(db: Kysely<Database>) {
	const content = await publishFixtureContent(db);
	for (let i = 0; i < 3; i++) {
		const userId = await createLearner(db, { name: `Học viên ${i}` });
		await submitQuiz(db, { userId, courseSlug: 'khoa-mot-bai', lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': 'false' } }, content);
		await submitQuiz(db, { userId, courseSlug: 'khoa-mot-bai', lessonSlug: 'bai-duy-nhat', submissionKey: newKey(), responses: { 'm-1': 'true' } }, content);
	}
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const c of cleanups.reverse()) await c();
});

describe('backup of the embedded database', () => {
	test('a copy of the stopped data directory opens with every row', async () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-backup-'));
		cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
		const live = path.join(root, 'data');
		// A new data directory starts as a copy of a migrated one, as the built app's does (server.js): no initdb.
		expect(seedPgdataFromTemplate(path.join(live, 'pgdata'), inject('pgliteTemplateDir'))).toBe(true);
		const h = await connectDatabase({ dataDir: live });
		await migrateToLatest(h.db);
		await fill(h.db);
		const before = await snapshot(h.db);
		expect(before.codes).toHaveLength(3);
		await h.close(); // the app stopped

		// As documented: tar of the data directory, extracted elsewhere.
		const tarball = path.join(root, 'hocso-data.tar.gz');
		expect(spawnSync('tar', ['-czf', tarball, '-C', live, 'pgdata']).status).toBe(0);
		const restoredDir = path.join(root, 'restored');
		fs.mkdirSync(restoredDir);
		expect(spawnSync('tar', ['-xzf', tarball, '-C', restoredDir]).status).toBe(0);

		const restored = await connectDatabase({ dataDir: restoredDir });
		try {
			expect(await snapshot(restored.db)).toEqual(before);
			expect(await migrateToLatest(restored.db)).toEqual([]);
		} finally {
			await restored.close();
		}
	});
});
