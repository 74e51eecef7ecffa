import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { connectDatabase, type DbHandle } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrator';
import type { Database } from '../../../src/lib/server/db/schema';
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
	} else if (opts.migrate === false) {
		handle = await connectDatabase({ dataDir: 'memory', template: new Blob([fs.readFileSync(inject('pgliteEmpty'))]) });
	} else {
		handle = await takeMemoryDatabase();
	}
	// Already migrated from the template; this only confirms nothing is pending.
	if (opts.migrate !== false) await migrateToLatest(handle.db);
	return handle;
}

// PGlite: opening an in-memory database from the template costs about half a second of CPU, the largest part of
// what a short test file costs on PGlite. A worker process therefore keeps the database of its previous file, emptied,
// when it can prove it is in the template's state again: every table empty but the migrations' own, and nothing in
// the catalog (tables, columns, defaults, indexes, constraints, functions, triggers, types, sequences, roles,
// settings) different from a database just opened from the template. Otherwise it is closed and the next file opens
// a new one, as before.
const SPARE = Symbol.for('hocso.test.spareMemoryDatabase');
const TEMPLATE_STATE = Symbol.for('hocso.test.templateState');
const memory = globalThis as typeof globalThis & { [SPARE]?: DbHandle; [TEMPLATE_STATE]?: string };
const KEPT_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/** What a database holds that a test could change, in one text: equal texts mean equal states for the tests. */
export async function databaseState(db: Kysely<Database>): Promise<string> {
	const system = `('pg_catalog', 'information_schema', 'pg_toast')`;
	const { rows } = await sql<{ x: string }>`
		select x from (
			select 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' ' || coalesce((
				select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || a.attidentity::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' order by a.attnum)
				from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
				where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') as x
				from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ${sql.raw(system)} and n.nspname not like 'pg_temp%'
			union all select 'view ' || c.oid::regclass::text || ' ' || pg_get_viewdef(c.oid)
				from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('v', 'm') and n.nspname not in ${sql.raw(system)}
			union all select 'index ' || pg_get_indexdef(i.indexrelid)
				from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ${sql.raw(system)}
			union all select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
				from pg_constraint where connamespace not in (select oid from pg_namespace where nspname in ${sql.raw(system)})
			union all select 'function ' || p.oid::regprocedure::text || ' ' || p.prokind::text || ' ' || md5(coalesce(p.prosrc, ''))
				from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ${sql.raw(system)}
			union all select 'trigger ' || tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text || ' ' || tgfoid::regproc::text
				from pg_trigger where not tgisinternal
			union all select 'rule ' || ev_class::regclass::text || ' ' || rulename from pg_rewrite where rulename <> '_RETURN'
			union all select 'policy ' || polrelid::regclass::text || ' ' || polname from pg_policy
			union all select 'type ' || t.oid::regtype::text || ' ' || t.typtype::text
				from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname not in ${sql.raw(system)} and n.nspname not like 'pg_temp%'
			union all select 'enum ' || enumtypid::regtype::text || ' ' || enumlabel || ' ' || enumsortorder::text from pg_enum
			union all select 'schema ' || nspname from pg_namespace where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
			union all select 'role ' || rolname || ' ' || rolsuper::text || ' ' || rolcanlogin::text from pg_roles
			union all select 'extension ' || extname || ' ' || extversion from pg_extension
			union all select 'setting ' || setdatabase::text || ' ' || setrole::text || ' ' || setconfig::text from pg_db_role_setting
			union all select 'sequence ' || schemaname || '.' || sequencename || ' ' || coalesce(last_value::text, 'unused') from pg_sequences
			union all select 'large objects ' || count(*)::text from pg_largeobject_metadata
			union all select 'prepared statements ' || count(*)::text from pg_prepared_statements
			union all select 'prepared transactions ' || count(*)::text from pg_prepared_xacts
			union all select 'migration ' || name || ' ' || timestamp from kysely_migration
			union all select 'migration lock ' || id || ' ' || is_locked::text from kysely_migration_lock
		) s order by x`.execute(db);
	// Every table's rows: counted here, as the emptying is what is being checked.
	const tables = await sql<{ t: string }>`select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname not in ${sql.raw(system)} order by 1`.execute(db);
	const counts = tables.rows.length
		? (await sql<{ x: string }>`${sql.raw(tables.rows.map((r) => `select 'rows ${r.t.replace(/'/g, "''")} ' || count(*)::text as x from ${r.t}`).join(' union all '))}`.execute(db)).rows
		: [];
	return [...rows, ...counts].map((r) => r.x).join('\n');
}

async function openMemoryDatabase(): Promise<DbHandle> {
	return connectDatabase({ dataDir: 'memory', template: new Blob([fs.readFileSync(inject('pgliteTemplate'))]) });
}

/** A migrated in-memory PGlite in the template's state: the process's kept one, or a new one. */
async function takeMemoryDatabase(): Promise<DbHandle> {
	let inner = memory[SPARE];
	memory[SPARE] = undefined;
	if (!inner) {
		inner = await openMemoryDatabase();
		memory[TEMPLATE_STATE] ??= await databaseState(inner.db);
	}
	const kept = inner;
	let closed = false;
	return {
		...kept,
		async close() {
			if (closed) return;
			closed = true;
			if (memory[SPARE] || !(await emptied(kept))) await kept.close();
			else memory[SPARE] = kept;
		}
	};
}

/** Empties a database a test file used; true when it is then provably in the template's state. */
async function emptied(h: DbHandle): Promise<boolean> {
	try {
		// Ends the session's state: prepared statements, temporary tables, settings, advisory locks, listeners. It
		// fails inside a transaction, which a test left open.
		await sql`discard all`.execute(h.db);
		const tables = await sql<{ t: string }>`select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname not in ('pg_catalog', 'information_schema') and tablename not in (${sql.join(KEPT_TABLES)})`.execute(h.db);
		if (tables.rows.length) await sql`truncate ${sql.raw(tables.rows.map((r) => r.t).join(', '))} restart identity cascade`.execute(h.db);
		return (await databaseState(h.db)) === memory[TEMPLATE_STATE];
	} catch {
		return false;
	}
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
