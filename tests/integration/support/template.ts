import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from '../../../src/lib/server/db/schema';
import { connectDatabase } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrator';

// Creating a database and running every migration costs seconds per test file; done once per run instead, each
// file then starts from a copy of the migrated template (a PGlite data-directory dump, or PostgreSQL's
// CREATE DATABASE ... TEMPLATE).

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Writes two data-directory tarballs (uncompressed) of a new in-memory PGlite: `empty`, as initdb left it, and
 * `file`, after every migration. Opening either costs a fraction of a second; initdb alone costs seconds.
 * Both are also unpacked as data directories (`emptyDir`, `dir`: a `pgdata` folder as the app keeps it on disk), for
 * the files that test the embedded database on disk: copying one (seedPgdataFromTemplate) costs a tenth of a second
 * where initdb and the migrations in a new directory cost five seconds of CPU.
 */
export async function makePgliteTemplate(): Promise<{ file: string; empty: string; dir: string; emptyDir: string; remove(): void }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-test-template-'));
	const pglite = new PGlite();
	await pglite.waitReady;
	const write = async (name: string) => {
		const file = path.join(dir, name);
		fs.writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
		return file;
	};
	const empty = await write('empty.tar');
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
	await migrateToLatest(db);
	const file = await write('pgdata.tar');
	await db.destroy();
	if (!pglite.closed) await pglite.close();
	const unpack = (tarball: string, name: string) => {
		const pgdata = path.join(dir, name, 'pgdata');
		fs.mkdirSync(pgdata, { recursive: true });
		// The tarball's names start at the data directory's root ("/base/1/..."); tar drops the leading slash.
		const r = spawnSync('tar', ['-xf', tarball, '-C', pgdata], { encoding: 'utf8' });
		if (r.status !== 0 || !fs.existsSync(path.join(pgdata, 'PG_VERSION'))) throw new Error(`tar -xf ${tarball}: ${r.error ?? r.stderr}`);
		return pgdata;
	};
	return { file, empty, dir: unpack(file, 'migrated'), emptyDir: unpack(empty, 'empty'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The URL of a database on the test server. */
export function databaseUrl(name: string): string {
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Runs statements on the test server's maintenance database, on a connection of their own. */
export async function adminQuery(...statements: string[]): Promise<pg.QueryResult[]> {
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	try {
		const results: pg.QueryResult[] = [];
		for (const s of statements) results.push(await admin.query(s));
		return results;
	} finally {
		await admin.end();
	}
}

/**
 * Creates a migrated PostgreSQL database to copy test databases from. Every database of the run is named
 * `<prefix>_...`; `remove` drops them all, including any a test process made ahead and never used or left behind.
 */
export async function makePostgresTemplate(): Promise<{ name: string; prefix: string; remove(): Promise<void> }> {
	const prefix = `hocso_test_${process.pid}`;
	const name = `${prefix}_template`;
	await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`);
	const handle = await connectDatabase({ url: databaseUrl(name), poolSize: 1 });
	await migrateToLatest(handle.db);
	await handle.close();
	return {
		name,
		prefix,
		async remove() {
			// A worker process that has ended may have left a copy or a drop under way on the server (made ahead for
			// a next file, or dropped without waiting): the server finishes it all the same, so wait for those first.
			for (let waited = 0; waited < 60_000; waited += 100) {
				const [{ rows: busy }] = await adminQuery(
					`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query ~* '^\\s*(create|drop) database (if exists )?${prefix}_'`
				);
				if (busy.length === 0) break;
				await new Promise((r) => setTimeout(r, 100));
			}
			// The template last: the others are made from it.
			const [{ rows }] = await adminQuery(`SELECT datname FROM pg_database WHERE datname LIKE '${prefix}\\_%' ORDER BY datname = '${name}', datname`);
			for (const { datname } of rows as { datname: string }[]) await adminQuery(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
			await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		}
	};
}
