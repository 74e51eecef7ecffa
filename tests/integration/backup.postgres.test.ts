import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './support/test-db';
import { createLearner, newKey, publishFixtureContent } from './support/learning';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrator';
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

describe('backup of a PostgreSQL server database', () => {
	test('pg_dump -Fc, then pg_restore into a new database, brings back every row', async () => {
		const h = await createTestDatabase();
		cleanups.push(() => h.close());
		await fill(h.db);
		const before = await snapshot(h.db);
		expect(before.codes).toHaveLength(3);

		const url = (await sql<{ db: string }>`select current_database() as db`.execute(h.db)).rows[0].db;
		const admin = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
		const source = new URL(admin);
		source.pathname = `/${url}`;
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-backup-')), 'hocso.dump');
		cleanups.push(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
		const dump = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${source}`], { encoding: 'utf8' });
		expect(dump.stderr).toBe('');
		expect(dump.status).toBe(0);

		const restoredName = `${url}_restored`;
		const c = new pg.Client({ connectionString: admin.toString() });
		await c.connect();
		await c.query(`create database ${restoredName}`);
		await c.end();
		const target = new URL(admin);
		target.pathname = `/${restoredName}`;
		cleanups.push(async () => {
			const d = new pg.Client({ connectionString: admin.toString() });
			await d.connect();
			await d.query(`drop database if exists ${restoredName} with (force)`);
			await d.end();
		});
		const restore = spawnSync('pg_restore', ['--no-owner', `--dbname=${target}`, file], { encoding: 'utf8' });
		expect(restore.stderr).toBe('');
		expect(restore.status).toBe(0);

		const restored = await connectDatabase({ url: target.toString() });
		try {
			expect(await snapshot(restored.db)).toEqual(before);
			// The restored database is current: the app's migrations have nothing left to do.
			expect(await migrateToLatest(restored.db)).toEqual([]);
		} finally {
			await restored.close();
		}
	});
});
