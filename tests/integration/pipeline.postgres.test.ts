import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { precompiled } from '../../src/lib/server/db/prepared';
import { prepareTogether, runTogether, warmConnections } from '../../src/lib/server/db/pipeline';

// What sending statements together means on a PostgreSQL server (PostgreSQL server only: `*.postgres.test.ts`):
// one write to the server, one transaction, a lock taken by one statement held for the next, whose snapshot
// follows it.

const LOCK = 424_242;
const lock = precompiled('test_together_lock', 1, (key: number) => sql<{ locked: boolean }>`select true as locked from (select pg_advisory_xact_lock(${key}::bigint)) l`);
const lockAndCount = precompiled('test_together_lock_count', 2, (key: number, tag: string) => sql<{ n: number }>`
	with l as (select pg_advisory_xact_lock(${key}::bigint))
	select count(*)::int as n from together_probe, l where tag = ${tag}`);
const add = precompiled('test_together_add', 2, (tag: string, n: number) => sql<{ n: number }>`insert into together_probe (tag, n) values (${tag}, ${n}::integer) returning n`);
const count = precompiled('test_together_count', 1, (tag: string) => sql<{ n: number }>`select count(*)::int as n from together_probe where tag = ${tag}`);
const divide = precompiled('test_together_divide', 1, (by: number) => sql<{ q: number }>`select 10 / ${by}::integer as q`);
const once = precompiled('test_together_once', 1, (n: number) => sql<{ plus_one: number }>`select ${n}::integer + 1 as plus_one`);
const twice = precompiled('test_together_twice', 1, (n: number) => sql<{ doubled: number }>`select ${n}::integer * 2 as doubled`);
const xact = precompiled('test_together_xact', 0, () => sql<{ x: string }>`select pg_current_xact_id()::text as x`);
const readied = precompiled('test_together_readied', 2, (tag: string, n: number) => sql<{ n: number }>`insert into together_probe (tag, n) values (${tag}, ${n}::integer + 0) returning n`);
const readiedCount = precompiled('test_together_readied_count', 1, (tag: string) => sql<{ n: number }>`select count(*)::int + 0 as n from together_probe where tag = ${tag}`);

/**
 * How many times the socket of one connection was written to (each a system call and, to the server, a round trip)
 * while `run` ran. Only that socket's writes count: the test process has others to the same server (the database
 * made ahead for the next test file, the previous file's being dropped), which may write at any moment. The server
 * says which one it is: the connection's port on this side.
 */
async function socketWrites(conn: DbHandle['db'], run: () => Promise<unknown>): Promise<number> {
	const { rows } = await sql<{ port: number }>`select inet_client_port() as port`.execute(conn);
	const port = rows[0].port;
	const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (this: net.Socket, ...args: unknown[]) => unknown>;
	const saved = { _write: proto._write, _writev: proto._writev };
	let writes = 0;
	for (const k of ['_write', '_writev'] as const) {
		proto[k] = function (this: net.Socket, ...args: unknown[]) {
			if (this.localPort === port) writes++;
			return saved[k].apply(this, args);
		};
	}
	try {
		await run();
	} finally {
		Object.assign(proto, saved);
	}
	return writes;
}

describe('statements sent together on a PostgreSQL server', () => {
	let h: DbHandle;

	beforeAll(async () => {
		h = await createTestDatabase();
		await sql`create table together_probe (tag text not null, n integer not null)`.execute(h.db);
	});
	afterAll(async () => h?.close());

	test('three statements are one write to the server, where run one by one they are three', async () => {
		const { together, oneByOne } = await h.db.connection().execute(async (conn) => {
			// Each statement prepared on this connection first, so that only the statements' own writes are counted.
			await runTogether(conn, [add.bind(conn, 'warm', 1), count.bind(conn, 'warm'), xact.bind(conn)]);
			await add.run(conn, 'warm', 2);
			await count.run(conn, 'warm');
			await xact.run(conn);
			const together = await socketWrites(conn, () => runTogether(conn, [add.bind(conn, 'w', 1), count.bind(conn, 'w'), xact.bind(conn)]));
			const oneByOne = await socketWrites(conn, async () => {
				await add.run(conn, 'w', 2);
				await count.run(conn, 'w');
				await xact.run(conn);
			});
			return { together, oneByOne };
		});
		expect(together).toBe(1);
		expect(oneByOne).toBe(3);
	});

	test('outside a transaction they are one transaction of their own: all kept, or none', async () => {
		const [, , [a], [b]] = await runTogether(h.db, [add.bind(h.db, 't', 1), add.bind(h.db, 't', 2), xact.bind(h.db), xact.bind(h.db)]);
		expect(a.x).toBe(b.x);
		expect((await count.run(h.db, 't')).rows[0].n).toBe(2);
		await expect(runTogether(h.db, [add.bind(h.db, 't', 3), divide.bind(h.db, 0)])).rejects.toMatchObject({ code: '22012' });
		expect((await count.run(h.db, 't')).rows[0].n).toBe(2);
		// The connection and its statements (prepared again where the failure left them unknown) work on.
		for (let i = 0; i < 12; i++) await runTogether(h.db, [add.bind(h.db, 't', 10 + i), divide.bind(h.db, 2)]);
		expect((await count.run(h.db, 't')).rows[0].n).toBe(14);
	});

	test('a value that cannot be sent fails the batch before anything is written: nothing of it runs later', async () => {
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		const after = await h.db.connection().execute(async (conn) => {
			// The second statement's value cannot be turned into text (JSON of a circular object).
			const failing = runTogether(conn, [add.bind(conn, 'v', 1), count.bind(conn, circular as unknown as string)]);
			await expect(failing).rejects.toThrow(/circular/i);
			// The same connection next: had the first statement gone out without its Sync, it would run with this one.
			return runTogether(conn, [count.bind(conn, 'v'), xact.bind(conn)]);
		});
		expect(after[0]).toEqual([{ n: 0 }]);
		expect((await count.run(h.db, 'v')).rows[0].n).toBe(0);
	});

	test('a statement after one that waited for a lock sees what was committed before the lock was granted', async () => {
		// Another transaction holds the lock, writes a row and commits a moment later.
		let locked!: () => void;
		const holding = new Promise<void>((resolve) => (locked = resolve));
		const other = h.db.transaction().execute(async (trx) => {
			await lock.run(trx, LOCK);
			await add.run(trx, 'l', 1);
			locked();
			await delay(300);
		});
		await holding;
		// One statement that waits for the lock still reads with the snapshot it took before waiting: the row is not there.
		const single = lockAndCount.run(h.db, LOCK, 'l');
		// Sent together, the count's statement starts after the lock is granted: it sees the row.
		const together = runTogether(h.db, [lock.bind(h.db, LOCK), count.bind(h.db, 'l')]);
		await other;
		expect((await single).rows[0].n).toBe(0);
		const [[got], [seen]] = await together;
		expect(got.locked).toBe(true);
		expect(seen.n).toBe(1);
	});

	test('statements prepared together are parsed in one write and not run; batches after use them as prepared', async () => {
		const preparedNow = (conn: DbHandle['db']) =>
			sql<{ name: string; runs: number; prepared_at: Date }>`
				select name, (generic_plans + custom_plans)::integer as runs, prepare_time as prepared_at from pg_prepared_statements
				where name in ('test_together_readied:together', 'test_together_readied_count:together') order by name`.execute(conn);
		const { writes, before, after, got } = await h.db.connection().execute(async (conn) => {
			const writes = await socketWrites(conn, () => prepareTogether(conn, [readied.bind(conn, 'r', 1), readiedCount.bind(conn, 'r')]));
			const before = (await preparedNow(conn)).rows;
			// Prepared already: nothing to send but the Sync.
			await prepareTogether(conn, [readied.bind(conn, 'r', 1)]);
			const got = await runTogether(conn, [readied.bind(conn, 'r', 5), readiedCount.bind(conn, 'r')]);
			return { writes, before, after: (await preparedNow(conn)).rows, got };
		});
		expect(writes).toBe(1);
		// Prepared, never run: the insert's value was not stored.
		expect(before.map((r) => [r.name, r.runs])).toEqual([
			['test_together_readied:together', 0],
			['test_together_readied_count:together', 0]
		]);
		expect(got).toEqual([[{ n: 5 }], [{ n: 1 }]]);
		// The batch ran them by name, as prepared then (not parsed again).
		expect(after.map((r) => [r.name, r.runs, r.prepared_at.getTime()])).toEqual(before.map((r) => [r.name, 1, r.prepared_at.getTime()]));
	});

	test('warmConnections opens that many connections at once, each its own; a failure is reported, not thrown', async () => {
		const pids: number[] = [];
		const backend = async (conn: DbHandle['db']) => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)).rows[0].pid;
		expect(await warmConnections(h.db, 6, async (conn) => void pids.push(await backend(conn)))).toEqual({ warmed: 6, failures: [] });
		expect(new Set(pids).size).toBe(6);

		let n = 0;
		const result = await warmConnections(h.db, 4, async (conn) => {
			if (n++ === 1) await divide.run(conn, 0);
			await backend(conn);
		});
		expect(result.warmed).toBe(3);
		expect(result.failures).toHaveLength(1);
		expect(result.failures[0]).toMatchObject({ code: '22012' });

		// More than the pool holds (20): those past it wait until the first are done, after `waitMs`, instead of for ever.
		const started = Date.now();
		const more = await warmConnections(h.db, 23, async (conn) => void (await backend(conn)), 300);
		expect(more).toEqual({ warmed: 23, failures: [] });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	test('each connection prepares the statements once and runs them by name after', async () => {
		const runs = await h.db.connection().execute(async (conn) => {
			for (let i = 0; i < 5; i++) expect(await runTogether(conn, [once.bind(conn, i), twice.bind(conn, i)])).toEqual([[{ plus_one: i + 1 }], [{ doubled: 2 * i }]]);
			const { rows } = await sql<{ name: string; runs: number }>`
				select name, (generic_plans + custom_plans)::integer as runs from pg_prepared_statements where name like '%:together' order by name`.execute(conn);
			return rows;
		});
		expect(runs).toContainEqual({ name: 'test_together_once:together', runs: 5 });
		expect(runs).toContainEqual({ name: 'test_together_twice:together', runs: 5 });
	});
});
