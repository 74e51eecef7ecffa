import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { precompiled } from '../../src/lib/server/db/prepared';
import { runTogether } from '../../src/lib/server/db/pipeline';

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

/** How many times sockets were written to (each a system call and, to the server, a round trip) while `run` ran. */
async function socketWrites(run: () => Promise<unknown>): Promise<number> {
	const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
	const saved = { _write: proto._write, _writev: proto._writev };
	let writes = 0;
	for (const k of ['_write', '_writev'] as const) {
		proto[k] = function (this: unknown, ...args: unknown[]) {
			writes++;
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
		// Every connection of the pool open and each statement prepared on the one used below, so that only the
		// statements' own writes are counted.
		await runTogether(h.db, [add.bind(h.db, 'warm', 1), count.bind(h.db, 'warm'), xact.bind(h.db)]);
	});
	afterAll(async () => h?.close());

	test('three statements are one write to the server, where run one by one they are three', async () => {
		const together = await socketWrites(() => runTogether(h.db, [add.bind(h.db, 'w', 1), count.bind(h.db, 'w'), xact.bind(h.db)]));
		const oneByOne = await socketWrites(async () => {
			await add.run(h.db, 'w', 2);
			await count.run(h.db, 'w');
			await xact.run(h.db);
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
