import { closeDatabase, getDatabase, useDatabase, type DbHandle } from '../../../src/lib/server/db';
import { closeContent } from '../../../src/lib/server/content';
import { createTestDatabase, takeServerDatabase, testDbKind } from './test-db';

// What the app reads from the environment when it opens its database and content, as the worker process started.
// Test files share worker processes (vite.config.ts, isolate: false): `close` puts these back, so the next file
// starts from the same environment whichever file ran before it.
const APP_ENV = ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'HOCSO_DATA_DIR', 'HOCSO_CONTENT_DIR'] as const;
const startEnv = Object.fromEntries(APP_ENV.map((k) => [k, process.env[k]]));

/**
 * Points the app's own database (`db()` in $lib/server/db, as routes and guards use it) at a fresh, migrated
 * database of this project's kind: an in-memory PGlite opened from the run's template, or a copy of the template
 * database on the PostgreSQL server (reached through DATABASE_URL, as the app does), dropped after `close`.
 * Call once per test file, before anything opens the app's database. `close` also ends the app's content
 * publishing, so the next file's app reads its own content folder (HOCSO_CONTENT_DIR).
 */
export async function openAppTestDatabase(): Promise<{ db: DbHandle['db']; close: () => Promise<void> }> {
	let drop = async () => {};
	// Whatever an earlier file in this process published belongs to its database.
	closeContent();
	if (testDbKind === 'postgres') {
		const server = await takeServerDatabase();
		process.env.DATABASE_URL = server.url;
		drop = async () => server.drop();
	} else {
		delete process.env.DATABASE_URL;
		process.env.HOCSO_DATA_DIR = 'memory';
		useDatabase(await createTestDatabase());
	}
	// getDatabase runs the migrations on the PostgreSQL copy: none are pending, as on a PGlite one.
	const h = await getDatabase();
	return {
		db: h.db,
		async close() {
			closeContent();
			await closeDatabase();
			await drop();
			for (const k of APP_ENV) {
				if (startEnv[k] === undefined) delete process.env[k];
				else process.env[k] = startEnv[k];
			}
		}
	};
}
