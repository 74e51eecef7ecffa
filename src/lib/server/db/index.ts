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

/** Closes the app's database if it was opened (shutdown, CLI scripts). */
export async function closeDatabase(): Promise<void> {
	if (!handle) return;
	const h = await handle.catch(() => undefined);
	handle = undefined;
	await h?.close();
}
