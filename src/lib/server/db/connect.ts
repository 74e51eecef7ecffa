import path from 'node:path';
import v8 from 'node:v8';
import { setTimeout as delay } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from './schema';
import { DataDirError, lockDataDir } from './data-dir-lock';
import { isStorageFailure } from './storage-failure';
import { seedPgdataFromTemplate } from './pgdata-template';
import { usePreparedStatements } from './prepared';
import { allowPipelines, usePipelines } from './pipeline';

export type DbKind = 'postgres' | 'pglite';

export interface DbHandle {
	db: Kysely<Database>;
	kind: DbKind;
	close(): Promise<void>;
}

/** Connections of a PostgreSQL pool when the caller does not say. */
export const DEFAULT_POOL_SIZE = 10;

export interface ConnectOptions {
	/** PostgreSQL server URL; when absent, an embedded PGlite database is used. */
	url?: string;
	/** PGlite data directory (holds `pgdata/` and a lock file); ignored with `url`. `memory` keeps it in RAM. */
	dataDir?: string | 'memory';
	poolSize?: number;
	/** A PGlite data-directory tarball (PGlite's dumpDataDir) to start a new in-memory database from. */
	template?: Blob;
	/**
	 * PGlite only: called once when a query failed because the data directory could not be written (read-only,
	 * full, removed). The embedded database may stay broken after that, so the app stops (see index.ts).
	 */
	onStorageFailure?: (error: unknown) => void;
}

/**
 * PostgreSQL's buffer cache inside the embedded database. PGlite keeps the default 128MB, and PostgreSQL fills its
 * shared memory when it starts: that alone was a third of the app's resident memory. An embedded database serves one
 * commune or district; its files stay in the operating system's page cache as well. HOCSO_PGLITE_SHARED_BUFFERS
 * (a PostgreSQL size, e.g. 64MB) sets another size.
 */
function pgliteSharedBuffers(): string {
	const v = process.env.HOCSO_PGLITE_SHARED_BUFFERS?.trim();
	return v && /^\d+(kB|MB|GB)$/.test(v) ? v : '32MB';
}

/**
 * The embedded PostgreSQL is WebAssembly. V8 compiles it at once with its baseline compiler (Liftoff), then compiles
 * again with its optimising one (TurboFan) each function that has run a certain amount, on background threads. At
 * start PostgreSQL runs a great deal of code a few times each (recovery, catalog loading), enough to send much of it
 * to the optimising compiler: on two cores that was about a third of a restart's CPU and 50 MB of memory, for code
 * mostly never run again. A budget a thousand times V8's default (1.8 million) keeps that code on the baseline tier
 * and still optimises what runs all the time (the executor, once a busy database has run it long enough).
 * HOCSO_PGLITE_OPTIMISE=1 keeps V8's default. Set before a PGlite compiles (again for each: it costs nothing); read by
 * V8 when a module is compiled, which is why it can be set here (unlike --liftoff-only, which Node.js 24 ignores then).
 */
function chooseWasmTiering() {
	if (process.env.HOCSO_PGLITE_OPTIMISE !== '1') v8.setFlagsFromString('--wasm-tiering-budget=2000000000');
}

/**
 * node-postgres, loaded when a PostgreSQL server is used: the embedded database has no use for it, and loading it
 * (with the packages it needs) was about a tenth of an embedded start.
 */
async function loadNodePostgres(): Promise<typeof pg> {
	const { default: pg } = await import('pg');
	// BIGINT counts come back as strings from node-postgres; our counts fit in a JS number.
	pg.types.setTypeParser(20, (v) => Number(v));
	return pg;
}

/** Opens the database the options describe. The caller owns the handle and must close it. */
export async function connectDatabase(opts: ConnectOptions): Promise<DbHandle> {
	if (opts.url) {
		const pg = await loadNodePostgres();
		const pool = new pg.Pool({
			connectionString: opts.url,
			max: opts.poolSize ?? DEFAULT_POOL_SIZE,
			// While the server is away, a request waits at most this long for a connection, then gets a 503.
			connectionTimeoutMillis: 5_000,
			// An idle connection is kept five minutes (node-postgres' default is ten seconds): the connections readied at
			// start (startup.ts) and those of a busy hour keep their prepared statements through a lull between requests.
			idleTimeoutMillis: 5 * 60_000
		});
		// A connection closed by the server (restart, failover, pg_terminate_backend) must not crash the process.
		// The pool reports idle ones on the pool; a connection that is checked out emits 'error' on its client,
		// which kills the process when nobody listens. The query running on it fails (the request answers 503),
		// and the pool drops the broken client when it is released.
		// Note: only the message is logged, never the query or its parameters.
		pool.on('error', (e) => console.error(`PostgreSQL: an idle connection was closed: ${e.message}`));
		// The pool's end() returns once it has asked its connections to close, before the server has seen them go: a
		// caller that then drops the database or stops the server would have them cut off mid-close (and the errors
		// logged). close() therefore waits until every connection has ended.
		const ending = new Set<Promise<void>>();
		pool.on('connect', (client) => {
			client.on('error', (e) => console.error(`PostgreSQL: a connection in use was closed: ${e.message}`));
			const ended = new Promise<void>((resolve) => client.once('end', resolve));
			ending.add(ended);
			void ended.then(() => ending.delete(ended));
			usePreparedStatements(client);
			usePipelines(client);
		});
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		allowPipelines(db);
		return {
			db,
			kind: 'postgres',
			async close() {
				await db.destroy();
				// At most a few seconds: a server that does not answer any more must not hold a shutdown.
				await Promise.race([Promise.all(ending), delay(5_000, undefined, { ref: false })]);
			}
		};
	}
	let release = () => {};
	let pglite: PGlite;
	chooseWasmTiering();
	if (opts.dataDir === 'memory') {
		// The smaller buffer cache as well: PostgreSQL clears it at every start, which was a third of the time a new
		// in-memory database took to open from a template.
		pglite = new PGlite({ loadDataDir: opts.template, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers()}`] });
	} else {
		const dir = path.resolve(opts.dataDir ?? 'data');
		try {
			release = lockDataDir(dir);
		} catch (e) {
			throw DataDirError.from(dir, e);
		}
		try {
			seedPgdataFromTemplate(path.join(dir, 'pgdata'));
			pglite = new PGlite(path.join(dir, 'pgdata'), { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers()}`] });
			await pglite.waitReady;
		} catch (e) {
			release();
			throw DataDirError.from(dir, e);
		}
	}
	await pglite.waitReady;
	let failed = false;
	const db = new Kysely<Database>({
		dialect: new PGliteDialect(pglite),
		// Note: Kysely calls this for every failed query; only the error is looked at, never the query.
		log: (event) => {
			if (event.level !== 'error' || failed || !opts.onStorageFailure || !isStorageFailure(event.error)) return;
			failed = true;
			opts.onStorageFailure(event.error);
		}
	});
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
