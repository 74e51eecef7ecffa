import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * A new embedded database starts as a copy of a data directory prepared when the app was built (migrated, units
 * loaded), instead of paying for initdb, every migration and the unit import at its first start.
 * `HOCSO_PGDATA_TEMPLATE` names that directory (server.js points it at build/pgdata-template). Nothing happens when
 * the target already holds a database or no template exists: PGlite then creates or opens the directory as usual.
 * Note: assumes the template was written by the same PGlite version (both come from this build's node_modules).
 */
export function seedPgdataFromTemplate(pgdata: string, template = process.env.HOCSO_PGDATA_TEMPLATE): boolean {
	if (!template || !fs.existsSync(path.join(template, 'PG_VERSION'))) return false;
	if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) return false;
	// Copied beside the target and renamed, so that a copy cut short never looks like a database.
	const partial = `${pgdata}.copying`;
	fs.rmSync(partial, { recursive: true, force: true });
	fs.cpSync(template, partial, { recursive: true });
	fs.rmSync(pgdata, { recursive: true, force: true });
	fs.renameSync(partial, pgdata);
	return true;
}

/**
 * Trims a template to the one database the app uses (`postgres`, where PGlite connects). initdb also makes
 * template0 and template1, which only `CREATE DATABASE` copies from and the embedded database never runs: they were
 * half the template's 1,200 files, and a first start copies every file (on this kind of disk about a third of a
 * millisecond each, whatever its size). Run on the template's own database while it is being prepared.
 */
export async function dropUnusedDatabases(db: Kysely<Database>): Promise<void> {
	for (const name of ['template0', 'template1']) {
		// A template database cannot be dropped until it is marked as an ordinary one.
		await sql`alter database ${sql.id(name)} is_template false`.execute(db);
		await sql`drop database ${sql.id(name)}`.execute(db);
	}
}
