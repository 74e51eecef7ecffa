import { CompiledQuery, type Kysely, type QueryResult, type RawBuilder, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema';

// Statements on the hot path (a quiz submission) are built with Kysely's `sql` once per database, with
// stand-ins in the places of their values, and then run with each request's values in those places: no query
// building per request. On a PostgreSQL server they also run as named prepared statements: each connection parses
// and plans them once (after a few runs PostgreSQL keeps a generic plan), and sends only the values afterwards.
// Note: a pooler in front of PostgreSQL must keep prepared statements per server connection (PgBouncer 1.21 or
// later with max_prepared_statements set, in transaction mode).

/** The name each precompiled statement's text runs under on a PostgreSQL server. */
const statementNames = new Map<string, string>();

/** Stands for the value at `index` while a statement is compiled once. */
class Slot {
	constructor(readonly index: number) {}
}

type Db = Kysely<Database> | Transaction<Database>;

interface Compiled {
	sql: string;
	/** Per parameter of the compiled statement: the index of the value it takes, or a constant of the statement. */
	sources: (number | { constant: unknown })[];
}

/**
 * What a statement is compiled for. A transaction is a new handle on the same database, with the same dialect
 * adapter (Kysely makes one per database and hands it to every transaction's executor): without plugins, which
 * could change the statement, the adapter stands for the database, so a statement run inside transactions is still
 * compiled once. A handle with plugins has its statements compiled for itself.
 */
function compileKey(db: Db): object {
	const executor = db.getExecutor();
	return executor.plugins.length === 0 ? executor.adapter : db;
}

/**
 * A statement compiled once per database. `build` receives one stand-in per value (use them as values in
 * `sql` only: not in arithmetic, JSON.stringify or other work on them) and returns the statement; `run` executes
 * it with the values in that order.
 */
export function precompiled<R, V extends unknown[]>(name: string, valueCount: V['length'], build: (...values: V) => RawBuilder<R>) {
	const compiledFor = new WeakMap<object, Compiled>();
	function compile(db: Db): Compiled {
		const slots = Array.from({ length: valueCount }, (_, i) => new Slot(i)) as unknown as V;
		const query = build(...slots).compile(db);
		const used = new Set<number>();
		const sources = query.parameters.map((p) => {
			if (!(p instanceof Slot)) return { constant: p };
			used.add(p.index);
			return p.index;
		});
		if (used.size !== valueCount) throw new Error(`${name}: ${valueCount - used.size} of its values are not parameters`);
		const known = statementNames.get(query.sql);
		if (known && known !== name) throw new Error(`${name}: same statement as ${known}`);
		statementNames.set(query.sql, name);
		return { sql: query.sql, sources };
	}
	/** The statement with these values, for `db`: what run executes, or what runTogether sends with others. */
	function bind(db: Db, ...values: V): BoundStatement<R> {
		const key = compileKey(db);
		let compiled = compiledFor.get(key);
		if (!compiled) compiledFor.set(key, (compiled = compile(db)));
		const parameters = compiled.sources.map((s) => (typeof s === 'number' ? values[s] : s.constant));
		return { name, sql: compiled.sql, parameters };
	}
	return {
		bind,
		async run(db: Db, ...values: V): Promise<QueryResult<R>> {
			return runBound(db, bind(db, ...values));
		}
	};
}

/** Runs a bound statement (precompiled's bind) on its own. */
export function runBound<R>(db: Db, statement: BoundStatement<R>): Promise<QueryResult<R>> {
	return db.executeQuery(CompiledQuery.raw(statement.sql, statement.parameters) as CompiledQuery<R>);
}

/** A precompiled statement with its values (see precompiled's bind); R is the type of its rows. */
export interface BoundStatement<R = unknown> {
	name: string;
	sql: string;
	parameters: unknown[];
	/** Never set: carries the type of the rows. */
	readonly rowType?: R;
}

/**
 * Makes a node-postgres client run the precompiled statements (by their text) as named prepared statements;
 * every other query goes as before.
 */
export function usePreparedStatements(client: pg.ClientBase): void {
	const query = client.query as (this: pg.ClientBase, ...args: unknown[]) => unknown;
	const named = function (this: pg.ClientBase, ...args: unknown[]) {
		const [text, values] = args;
		const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? statementNames.get(text) : undefined;
		if (name) return query.call(this, { name, text, values });
		return query.apply(this, args);
	};
	client.query = named as typeof client.query;
}
