import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from './schema';
import { lockDataDir } from './data-dir-lock';
import { seedPgdataFromTemplate } from './pgdata-template';

export type DbKind = 'postgres' | 'pglite';

export interface DbHandle {
	db: Kysely<Database>;
	kind: DbKind;
	close(): Promise<void>;
}

export interface ConnectOptions {
	/** PostgreSQL server URL; when absent, an embedded PGlite database is used. */
	url?: string;
	/** PGlite data directory (holds `pgdata/` and a lock file); ignored with `url`. `memory` keeps it in RAM. */
	dataDir?: string | 'memory';
	poolSize?: number;
	/** A PGlite data-directory tarball (PGlite's dumpDataDir) to start a new in-memory database from. */
	template?: Blob;
}

// BIGINT counts come back as strings from node-postgres; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens the database the options describe. The caller owns the handle and must close it. */
export async function connectDatabase(opts: ConnectOptions): Promise<DbHandle> {
	if (opts.url) {
		const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
		// An idle connection closed by the server (restart, failover) must not crash the process: the pool drops it
		// and opens a new one for the next query.
		pool.on('error', (e) => console.error(`PostgreSQL: an idle connection was closed: ${e.message}`));
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return { db, kind: 'postgres', close: () => db.destroy() };
	}
	let release = () => {};
	let pglite: PGlite;
	if (opts.dataDir === 'memory') {
		pglite = new PGlite(opts.template ? { loadDataDir: opts.template } : {});
	} else {
		const dir = path.resolve(opts.dataDir ?? 'data');
		release = lockDataDir(dir);
		try {
			seedPgdataFromTemplate(path.join(dir, 'pgdata'));
			pglite = new PGlite(path.join(dir, 'pgdata'));
		} catch (e) {
			release();
			throw e;
		}
	}
	await pglite.waitReady;
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
	let closed = false;
	return {
		db,
		kind: 'pglite',
		async close() {
			if (closed) return;
			closed = true;
			await db.destroy();
			if (!pglite.closed) await pglite.close();
			release();
		}
	};
}
