import { connectDatabase, DEFAULT_POOL_SIZE, type DbHandle } from './connect';
import { migrateToLatest } from './migrator';

export type { Database } from './schema';
export type { DbHandle } from './connect';

let handle: Promise<DbHandle> | undefined;

/**
 * The embedded database could not write its files. It may refuse every later write until reopened, and a process
 * that serves pages but cannot save progress is worse than none: stop with a non-zero code so that the supervisor
 * (systemd, Docker, pm2) starts the app again, which reopens the database (or says at start what is wrong).
 * Nothing acknowledged is lost: the failed write was never acknowledged, and committed ones are in the WAL.
 */
function stopAfterStorageFailure(error: unknown) {
	const dir = process.env.HOCSO_DATA_DIR || 'data';
	const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
	console.error(
		`\nHọc Số dừng lại: không ghi được vào cơ sở dữ liệu nhúng trong thư mục ${dir} (${detail}).\n` +
			'Hãy kiểm tra thư mục còn ghi được và ổ đĩa còn chỗ; trình giám sát sẽ khởi động lại ứng dụng.\n'
	);
	process.exitCode = 1;
	// After the answer to the failing request has gone out.
	setTimeout(() => process.exit(1), 100);
}

/** Connections of each PostgreSQL pool of the process (DATABASE_POOL_SIZE, default 10). */
export function poolSize(): number {
	return Number(process.env.DATABASE_POOL_SIZE) || DEFAULT_POOL_SIZE;
}

/**
 * The app's database, opened once per process from the environment: DATABASE_URL (a PostgreSQL server) or
 * an embedded PGlite in HOCSO_DATA_DIR (default ./data). Migrations run on first open.
 */
export function getDatabase(): Promise<DbHandle> {
	if (handle) return handle;
	const opening = (async () => {
		const h = await connectDatabase({
			url: process.env.DATABASE_URL || undefined,
			dataDir: process.env.HOCSO_DATA_DIR || 'data',
			poolSize: poolSize(),
			onStorageFailure: stopAfterStorageFailure
		});
		try {
			await migrateToLatest(h.db);
		} catch (e) {
			await h.close();
			throw e;
		}
		process.once('sveltekit:shutdown', () => void h.close());
		return h;
	})();
	handle = opening;
	// A database that could not be opened (a PostgreSQL server not yet up) is tried again on the next call.
	opening.catch(() => {
		if (handle === opening) handle = undefined;
	});
	return opening;
}

/**
 * Makes a database opened by the caller the app's (what getDatabase and db() return) until closeDatabase, which
 * closes it. For a process that embeds the app's server code on a database of its own, e.g. an in-memory PGlite
 * opened from a prepared data directory; the app itself opens its database with getDatabase.
 */
export function useDatabase(h: DbHandle): void {
	if (handle) throw new Error('The app already has a database open: closeDatabase first.');
	handle = Promise.resolve(h);
}

export async function db() {
	return (await getDatabase()).db;
}

let replica: Promise<DbHandle> | undefined;

/**
 * For reads that may lag the primary by a moment (dashboards and other statistics): a PostgreSQL hot-standby
 * replica when DATABASE_REPLICA_URL is set beside DATABASE_URL, else the primary itself. Writes, and every page that
 * shows a person what they just did (their progress, results, records), use db().
 * Note: no migration runs there: a replica follows the primary's schema by itself.
 */
export async function replicaDb() {
	const url = process.env.DATABASE_REPLICA_URL;
	if (!url || !process.env.DATABASE_URL) return db();
	replica ??= connectDatabase({ url, poolSize: poolSize() }).then((h) => {
		process.once('sveltekit:shutdown', () => void h.close());
		return h;
	});
	return (await replica).db;
}

/** Closes the app's database if it was opened (shutdown, CLI scripts). */
export async function closeDatabase(): Promise<void> {
	const r = replica && (await replica.catch(() => undefined));
	replica = undefined;
	await r?.close();
	if (!handle) return;
	const h = await handle.catch(() => undefined);
	handle = undefined;
	await h?.close();
}
