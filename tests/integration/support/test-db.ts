import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { connectDatabase, type DbHandle } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrator';
import { adminQuery, databaseUrl } from './template';

// Each test file gets a database of its own on the PostgreSQL server (TEST_DATABASE_URL), dropped afterwards.

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A database of this run on the server; `drop` removes it without waiting (the run's teardown drops leftovers). */
export interface ServerDatabase {
	name: string;
	url: string;
	drop(): void;
}

// A worker process runs one test file after another (vite.config.ts, isolate: false). Copying the template costs
// about a quarter of a second of the server's time, so the copy for the worker's next file is made while the
// current one runs. Kept on globalThis: one per process, whatever module instance asks.
const NEXT = Symbol.for('hocso.test.nextServerDatabase');
const store = globalThis as typeof globalThis & { [NEXT]?: Promise<string> };

async function createServerDatabase(migrated: boolean): Promise<string> {
	const name = `${inject('postgresPrefix')}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	await adminQuery(`CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${inject('postgresTemplate')}` : ''}`);
	return name;
}

/**
 * A new database on the server: a copy of the run's migrated template (made ahead for this process when it can),
 * or with `migrated: false` an empty one.
 */
export async function takeServerDatabase(opts: { migrated?: boolean } = {}): Promise<ServerDatabase> {
	let name: string;
	if (opts.migrated === false) name = await createServerDatabase(false);
	else {
		const ahead = store[NEXT];
		store[NEXT] = undefined;
		name = (await ahead?.catch(() => undefined)) ?? (await createServerDatabase(true));
		// The next file's, while this one runs; an error shows when that file makes its own.
		const next = createServerDatabase(true);
		next.catch(() => {});
		store[NEXT] = next;
	}
	return {
		name,
		url: databaseUrl(name),
		// The next file need not wait for it: nothing uses the database once its connections are closed.
		drop: () => void adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
	};
}

/**
 * A fresh, empty database of the kind this Vitest project tests (TEST_DB = pglite | postgres).
 * With `migrate` (the default) every migration has run: the database is a copy of the template migrated once per
 * run by the project's global setup (setup-pglite.ts, setup-postgres.ts).
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<DbHandle> {
	let handle: DbHandle;
	if (testDbKind === 'postgres') {
		const server = await takeServerDatabase({ migrated: opts.migrate !== false });
		const inner = await connectDatabase({ url: server.url, poolSize: 20 });
		handle = {
			...inner,
			async close() {
				await inner.close();
				server.drop();
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
