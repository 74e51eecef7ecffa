import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type PgUtils from 'pg/lib/utils.js';
import type { Database } from './schema';
import { runBound, type BoundStatement } from './prepared';

// Several precompiled statements sent to a PostgreSQL server at once: one write and one Sync, so one round trip
// where they would otherwise take one each (with a round trip's system calls and waking of the server's process,
// a large part of a quiz submission's cost on a small machine). Until the Sync the server runs them in one
// transaction: the surrounding one, or else an implicit one that commits at the Sync, and is rolled back when any of
// them fails (the rest are then skipped). Each statement takes its own snapshot when it starts (READ COMMITTED):
// one that follows a statement which took a lock sees everything committed before the lock was granted.
//
// node-postgres sends one statement per Sync, so the batch is a query object of its own (its "submittable"
// interface, as pg-cursor uses), reached through Kysely with a marker statement that the pool's clients answer
// (see usePipelines). PGlite, in the same process, has no round trips to save: there the statements run one by one.

type Db = Kysely<Database> | Transaction<Database>;

/** The text Kysely passes to the client for a batch; the batch itself is its only value. */
const BATCH_MARKER = '-- hocso: statements sent together';
/** Likewise for statements to prepare on the connection without running them (see prepareTogether). */
const PREPARE_MARKER = '-- hocso: statements prepared together';

/** The adapters of the databases whose connections can take a batch (one per Kysely instance, shared by its transactions). */
const batchingAdapters = new WeakSet<object>();

/** Lets `db` (on a PostgreSQL server, its pool's clients set up with usePipelines) send batches. */
export function allowPipelines(db: Kysely<Database>): void {
	batchingAdapters.add(db.getExecutor().adapter);
}

/** Whether runTogether sends `db`'s statements in one round trip (a PostgreSQL server) or one by one (PGlite). */
export function canPipeline(db: Db): boolean {
	return batchingAdapters.has(db.getExecutor().adapter);
}

type RowsOf<T extends readonly BoundStatement[]> = { [K in keyof T]: T[K] extends BoundStatement<infer R> ? R[] : never };

/**
 * Runs the statements in order and returns each one's rows. On a PostgreSQL server they go in one round trip, in
 * one transaction (the caller's, or an implicit one). Elsewhere they run one by one on `db`: pass a transaction when
 * they must be atomic or share a lock.
 */
export async function runTogether<const T extends readonly BoundStatement[]>(db: Db, statements: T): Promise<RowsOf<T>> {
	if (canPipeline(db)) {
		const { rows } = await db.executeQuery(CompiledQuery.raw(BATCH_MARKER, [statements]) as CompiledQuery<unknown[]>);
		return rows as RowsOf<T>;
	}
	const out: unknown[][] = [];
	for (const s of statements) out.push((await runBound(db, s)).rows);
	return out as RowsOf<T>;
}

/**
 * runTogether as a transaction of their own: on a PostgreSQL server the implicit transaction of their round trip,
 * elsewhere a transaction around them. `statements` binds them for the handle they run on.
 */
export async function runTogetherAtomically<const T extends readonly BoundStatement[]>(db: Kysely<Database>, statements: (ex: Db) => T): Promise<RowsOf<T>> {
	if (canPipeline(db)) return runTogether(db, statements(db));
	return db.transaction().execute((trx) => runTogether(trx, statements(trx)));
}

/**
 * Prepares the statements on the PostgreSQL connection `db` runs on, under the names runTogether uses, without
 * running them: one round trip, nothing written. The server parses each statement then and looks up what it
 * names (tables, columns, types), which a new connection otherwise does in its first requests. Statements already
 * prepared there are skipped; their values are ignored. Does nothing on PGlite.
 */
export async function prepareTogether(db: Db, statements: readonly BoundStatement[]): Promise<void> {
	if (!canPipeline(db)) return;
	await db.executeQuery(CompiledQuery.raw(PREPARE_MARKER, [statements]));
}

/**
 * Opens that many `connections` of `db`'s pool at once and runs `work` on each (a process that starts opens its pool
 * and prepares its busiest statements before the first requests, which would otherwise wait for both); PGlite has
 * one connection, which `work` runs on once. Never throws: a connection that cannot be opened or a `work` that
 * fails is reported in the result, and the others do not wait for it longer than `waitMs`.
 */
export async function warmConnections(db: Kysely<Database>, connections: number, work: (connection: Db) => Promise<void>, waitMs = 5_000): Promise<{ warmed: number; failures: unknown[] }> {
	const count = canPipeline(db) ? connections : 1;
	let held = 0;
	let openGate = () => {};
	const gate = new Promise<void>((resolve) => (openGate = resolve));
	// Each connection is held until all are open, so that every one is a connection of its own.
	const timer = setTimeout(() => openGate(), waitMs);
	const results = await Promise.allSettled(
		Array.from({ length: count }, () =>
			db.connection().execute(async (connection) => {
				if (++held === count) openGate();
				await gate;
				await work(connection);
			})
		)
	);
	clearTimeout(timer);
	openGate();
	const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
	return { warmed: count - failures.length, failures };
}

/** What the batch needs of node-postgres' connection (its protocol writer). */
interface ProtocolConnection {
	stream: { cork?: () => void; uncork?: () => void };
	parse(msg: { name: string; text: string; types: unknown[] }): void;
	bind(msg: { statement: string; values: unknown[] }): void;
	describe(msg: { type: 'P'; name: string }): void;
	execute(msg: { portal: string }): void;
	close(msg: { type: 'S'; name: string }): void;
	sync(): void;
}

interface FieldMessage {
	fields: unknown[];
}

/** node-postgres' Result as its queries fill it (parsing each row with the types' parsers). */
interface RowBuilder {
	rows: unknown[];
	addFields(fields: unknown[]): void;
	parseRow(fields: unknown[]): unknown;
	addRow(row: unknown): void;
	addCommandComplete(msg: unknown): void;
}

/**
 * node-postgres' parts a batch uses. A batch only runs on a pool's connection, so node-postgres is loaded by then
 * (connect.ts loads it only for a PostgreSQL server); required here when first needed, from the same module cache.
 */
const requireHere = createRequire(import.meta.url);
let nodePostgres: { Result: new () => RowBuilder; prepareValue: (typeof PgUtils)['prepareValue'] } | undefined;
function nodePostgresParts() {
	nodePostgres ??= {
		Result: (requireHere('pg') as typeof pg).Result as unknown as new () => RowBuilder,
		prepareValue: (requireHere('pg/lib/utils.js') as typeof PgUtils).prepareValue
	};
	return nodePostgres;
}

/** The batch's own names for its statements on a connection, apart from those node-postgres prepares itself. */
const batchName = (name: string) => `${name}:together`;

/** Per connection, the statements a batch has prepared there (under batchName). */
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * The batch as node-postgres runs a query: `submit` writes it, then the client hands it the server's answers in
 * order (rows and a completion per statement), and the ready-for-query at the Sync, or the error.
 */
class Batch {
	callback?: (err: Error | null, result?: { command: null; rowCount: null; rows: unknown[][] }) => void;
	private readonly results: RowBuilder[];
	private current = 0;
	/** Statements parsed by this batch: prepared on the connection once it succeeds, unknown if it fails. */
	private parsedNow: string[] = [];
	private prepared?: Set<string>;
	private failure?: Error;

	constructor(
		private readonly statements: BoundStatement[],
		/** Only prepare the statements (prepareTogether): nothing runs. */
		private readonly prepareOnly = false
	) {
		const { Result } = nodePostgresParts();
		this.results = statements.map(() => new Result());
	}

	submit(connection: ProtocolConnection): Error | null {
		let prepared = preparedOn.get(connection);
		if (!prepared) preparedOn.set(connection, (prepared = new Set()));
		this.prepared = prepared;
		// Every value converted first: one that cannot be sent fails the batch before anything is written (a batch
		// written in part, without its Sync, would run with whatever the connection sends next).
		let values: unknown[][];
		const { prepareValue } = nodePostgresParts();
		try {
			values = this.prepareOnly ? [] : this.statements.map((s) => s.parameters.map((v) => prepareValue(v)));
		} catch (e) {
			return e instanceof Error ? e : new Error(String(e));
		}
		connection.stream.cork?.();
		try {
			for (const s of this.statements) {
				const name = batchName(s.name);
				if (prepared.has(name) || this.parsedNow.includes(name)) continue;
				// A batch that failed may or may not have prepared it: closing a statement that does not exist is no error.
				connection.close({ type: 'S', name });
				connection.parse({ name, text: s.sql, types: [] });
				this.parsedNow.push(name);
			}
			if (!this.prepareOnly) {
				this.statements.forEach((s, i) => {
					connection.bind({ statement: batchName(s.name), values: values[i] });
					connection.describe({ type: 'P', name: '' });
					connection.execute({ portal: '' });
				});
			}
			connection.sync();
		} finally {
			connection.stream.uncork?.();
		}
		return null;
	}

	handleRowDescription(msg: FieldMessage) {
		this.results[this.current]?.addFields(msg.fields);
	}

	handleDataRow(msg: FieldMessage) {
		const result = this.results[this.current];
		if (!result || this.failure) return;
		try {
			result.addRow(result.parseRow(msg.fields));
		} catch (e) {
			this.failure = e instanceof Error ? e : new Error(String(e));
		}
	}

	handleCommandComplete(msg: { text?: string; command?: string }) {
		this.results[this.current]?.addCommandComplete(msg);
		this.current++;
	}

	handleEmptyQuery() {
		this.current++;
	}

	handlePortalSuspended() {}

	handleCopyInResponse() {}

	handleCopyData() {}

	handleError(err: Error) {
		for (const name of this.parsedNow) this.prepared?.delete(name);
		this.callback?.(err);
	}

	handleReadyForQuery() {
		for (const name of this.parsedNow) this.prepared?.add(name);
		if (this.failure) return this.callback?.(this.failure);
		this.callback?.(null, { command: null, rowCount: null, rows: this.results.map((r) => r.rows) });
	}
}

/** Makes a node-postgres client answer runTogether's batches; every other query goes as before. */
export function usePipelines(client: pg.ClientBase): void {
	const query = client.query as (this: pg.ClientBase, ...args: unknown[]) => unknown;
	const batching = function (this: pg.ClientBase, ...args: unknown[]) {
		const [text, values] = args;
		if ((text !== BATCH_MARKER && text !== PREPARE_MARKER) || args.length !== 2 || !Array.isArray(values)) return query.apply(this, args);
		const batch = new Batch(values[0] as BoundStatement[], text === PREPARE_MARKER);
		return new Promise<unknown>((resolve, reject) => {
			batch.callback = (err, result) => (err ? reject(err) : resolve(result));
			query.call(this, batch);
		});
	};
	client.query = batching as typeof client.query;
}
