import pg from 'pg';
import { expect, test } from 'vitest';
import { freePort } from './private-postgres.js';
import { ensureTestDatabase } from './test-database.js';

// `npm test` on a machine where nothing answers at TEST_DATABASE_URL: a real PostgreSQL is started for the run.
test('with nothing at TEST_DATABASE_URL, a private PostgreSQL is started, answers, and is removed', async () => {
	const closed = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
	const db = await ensureTestDatabase(closed);
	let url = '';
	try {
		expect(db.started).toBe(true);
		url = db.url;
		expect(url).not.toBe(closed);
		const c = new pg.Client({ connectionString: url });
		await c.connect();
		// A real server, on which the tests can create their databases.
		await c.query('create database hocso_probe');
		const { rows } = await c.query('select version() as v');
		await c.end();
		expect(rows[0].v).toMatch(/^PostgreSQL \d+/);
	} finally {
		await db.remove();
	}
	const after = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
	after.on('error', () => {});
	await expect(after.connect()).rejects.toThrow(/ECONNREFUSED|connect/);
}, 120_000);
