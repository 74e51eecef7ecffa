import pg from 'pg';
import { connectDatabase, type DbHandle } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrator';

/** Server used by the PostgreSQL project; each test file gets a database of its own there, dropped afterwards. */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/**
 * A fresh, empty database of the kind this Vitest project tests (TEST_DB = pglite | postgres).
 * With `migrate` (the default) every migration has run.
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<DbHandle> {
	let handle: DbHandle;
	if (testDbKind === 'postgres') {
		const name = `hocso_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = new pg.Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name}`);
		await admin.end();
		const url = new URL(ADMIN_URL);
		url.pathname = `/${name}`;
		const inner = await connectDatabase({ url: url.toString(), poolSize: 20 });
		handle = {
			...inner,
			async close() {
				await inner.close();
				const a = new pg.Client({ connectionString: ADMIN_URL });
				await a.connect();
				await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
				await a.end();
			}
		};
	} else {
		handle = await connectDatabase({ dataDir: 'memory' });
	}
	if (opts.migrate !== false) await migrateToLatest(handle.db);
	return handle;
}
