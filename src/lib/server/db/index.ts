import { connectDatabase, type DbHandle } from './connect';
import { migrateToLatest } from './migrator';

export type { Database } from './schema';
export type { DbHandle } from './connect';

let handle: Promise<DbHandle> | undefined;

/**
 * The app's database, opened once per process from the environment: DATABASE_URL (a PostgreSQL server) or
 * an embedded PGlite in HOCSO_DATA_DIR (default ./data). Migrations run on first open.
 */
export function getDatabase(): Promise<DbHandle> {
	handle ??= (async () => {
		const h = await connectDatabase({
			url: process.env.DATABASE_URL || undefined,
			dataDir: process.env.HOCSO_DATA_DIR || 'data',
			poolSize: Number(process.env.DATABASE_POOL_SIZE) || undefined
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
	return handle;
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
	replica ??= connectDatabase({ url, poolSize: Number(process.env.DATABASE_POOL_SIZE) || undefined }).then((h) => {
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
