import pg from 'pg';
import { inject } from 'vitest';
import { closeDatabase, getDatabase, useDatabase, type DbHandle } from '../../../src/lib/server/db';
import { ADMIN_URL } from './template';
import { createTestDatabase, testDbKind } from './test-db';

/**
 * Points the app's own database (`db()` in $lib/server/db, as routes and guards use it) at a fresh, migrated
 * database of this project's kind: an in-memory PGlite opened from the run's template, or a copy of the template
 * database on the PostgreSQL server (reached through DATABASE_URL, as the app does), dropped by `close`.
 * Call once per test file, before anything opens the app's database.
 */
export async function openAppTestDatabase(): Promise<{ db: DbHandle['db']; close: () => Promise<void> }> {
	let drop = async () => {};
	if (testDbKind === 'postgres') {
		const name = `hocso_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = new pg.Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
		await admin.end();
		const url = new URL(ADMIN_URL);
		url.pathname = `/${name}`;
		process.env.DATABASE_URL = url.toString();
		drop = async () => {
			const a = new pg.Client({ connectionString: ADMIN_URL });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await a.end();
		};
	} else {
		delete process.env.DATABASE_URL;
		process.env.HOCSO_DATA_DIR = 'memory';
		useDatabase(await createTestDatabase());
	}
	// getDatabase runs the migrations on the PostgreSQL copy: none are pending, as on a PGlite one.
	const h = await getDatabase();
	return {
		db: h.db,
		async close() {
			await closeDatabase();
			await drop();
		}
	};
}
