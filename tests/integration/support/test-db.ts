import fs from 'node:fs';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DbHandle } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrator';

// Each test file gets a database of its own on the PostgreSQL server (TEST_DATABASE_URL), dropped afterwards.
import { ADMIN_URL } from './template';

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/**
 * A fresh, empty database of the kind this Vitest project tests (TEST_DB = pglite | postgres).
 * With `migrate` (the default) every migration has run: the database is a copy of the template migrated once per
 * run by the project's global setup (setup-pglite.ts, setup-postgres.ts).
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<DbHandle> {
	let handle: DbHandle;
	if (testDbKind === 'postgres') {
		const name = `hocso_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = new pg.Client({ connectionString: ADMIN_URL });
		await admin.connect();
		const template = opts.migrate === false ? '' : ` TEMPLATE ${inject('postgresTemplate')}`;
		await admin.query(`CREATE DATABASE ${name}${template}`);
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
		const template = new Blob([fs.readFileSync(inject(opts.migrate === false ? 'pgliteEmpty' : 'pgliteTemplate'))]);
		handle = await connectDatabase({ dataDir: 'memory', template });
	}
	// Already migrated from the template; this only confirms nothing is pending.
	if (opts.migrate !== false) await migrateToLatest(handle.db);
	return handle;
}

/** The same database, counting the statements sent through it on their way (to check how many a step takes). */
export function countingStatements<DB>(db: Kysely<DB>): { db: Kysely<DB>; count: () => number } {
	let statements = 0;
	const counted = db.withPlugin({
		transformQuery: (args) => {
			statements++;
			return args.node;
		},
		transformResult: async (args) => args.result
	});
	return { db: counted, count: () => statements };
}
