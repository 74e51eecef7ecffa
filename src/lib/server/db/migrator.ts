import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

type MigrationModules = Record<string, Migration>;

/**
 * Migrations are TypeScript files in /migrations. Vite bundles them through import.meta.glob (dev, build and
 * Vitest), so no runtime TypeScript loader is needed.
 */
const modules = import.meta.glob<Migration>('/migrations/*.ts', { eager: true });

class GlobMigrationProvider implements MigrationProvider {
	constructor(private readonly found: MigrationModules) {}
	async getMigrations(): Promise<Record<string, Migration>> {
		const out: Record<string, Migration> = {};
		for (const [file, mod] of Object.entries(this.found)) {
			const name = file.split('/').pop()!.replace(/\.ts$/, '');
			out[name] = mod;
		}
		return out;
	}
}

/** The names of the migrations this build has, sorted. */
export function knownMigrations(): string[] {
	return Object.keys(modules)
		.map((file) => file.split('/').pop()!.replace(/\.ts$/, ''))
		.sort();
}

/**
 * Whether the database has run exactly the migrations this build has: one query, where the migrator needs a dozen
 * (its tables, its lock, the list). Anything else (a table missing, a migration more or less) says no, and the
 * migrator then does its full work and checks.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
	try {
		const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
		const done = rows.map((r) => r.name).sort();
		const known = knownMigrations();
		return done.length === known.length && done.every((name, i) => name === known[i]);
	} catch {
		return false;
	}
}

/** Runs every pending migration; throws with the failing migration's name and error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
	if (await isUpToDate(db)) return [];
	const migrator = new Migrator({
		db,
		provider: new GlobMigrationProvider(modules),
		// Branches merged in any order each bring their own migrations: a database that already has a later one
		// must still accept an earlier one that arrives afterwards.
		allowUnorderedMigrations: true
	});
	const { error, results } = await migrator.migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error) {
		const msg = error instanceof Error ? error.message : String(error);
		throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${msg}`, { cause: error });
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
