import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { precompiled } from '../../src/lib/server/db/prepared';
import { canPipeline, runTogether } from '../../src/lib/server/db/pipeline';

// Statements sent together (runTogether): one round trip on a PostgreSQL server, one by one on PGlite. The lock
// and the count of writes of a round trip are in pipeline.postgres.test.ts.

const add = precompiled('test_together_add', 2, (tag: string, n: number) => sql<{ n: number }>`insert into together_probe (tag, n) values (${tag}, ${n}::integer) returning n`);
const look = precompiled('test_together_look', 1, (tag: string) => sql<{ n: number; at: Date; doc: unknown; none: string | null }>`
	select count(*)::int as n, now() as at, jsonb_build_object('tag', ${tag}::text, 'list', jsonb_build_array(1, 2)) as doc, null::text as none
	from together_probe where tag = ${tag}`);
const divide = precompiled('test_together_divide', 1, (by: number) => sql<{ q: number }>`select 10 / ${by}::integer as q`);

describe(`statements sent together (${testDbKind})`, () => {
	let h: DbHandle;

	beforeAll(async () => {
		h = await createTestDatabase();
		await sql`create table together_probe (tag text not null, n integer not null)`.execute(h.db);
	});
	afterAll(async () => h?.close());

	const countOf = async (tag: string) => (await look.run(h.db, tag)).rows[0].n;

	test('each statement gives its own rows, in order, read as a single statement reads them', async () => {
		expect(canPipeline(h.db)).toBe(testDbKind === 'postgres');
		const [first, second, seen] = await runTogether(h.db, [add.bind(h.db, 'a', 1), add.bind(h.db, 'a', 2), look.bind(h.db, 'a')]);
		expect(first).toEqual([{ n: 1 }]);
		expect(second).toEqual([{ n: 2 }]);
		// The last sees the rows the two before it inserted; dates, JSON and nulls come back as from run().
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ n: 2, doc: { tag: 'a', list: [1, 2] }, none: null });
		expect(seen[0].at).toBeInstanceOf(Date);
		expect(seen).toEqual((await look.run(h.db, 'a')).rows.map((r) => ({ ...r, at: seen[0].at })));
	});

	test('in a transaction, a statement that fails undoes the whole transaction; the statements work again after', async () => {
		const failing = h.db.transaction().execute((trx) => runTogether(trx, [add.bind(trx, 'b', 1), divide.bind(trx, 0), add.bind(trx, 'b', 2)]));
		await expect(failing).rejects.toMatchObject({ code: '22012' });
		expect(await countOf('b')).toBe(0);
		const [, [q]] = await h.db.transaction().execute((trx) => runTogether(trx, [add.bind(trx, 'b', 3), divide.bind(trx, 5)]));
		expect(q).toEqual({ q: 2 });
		expect(await countOf('b')).toBe(1);
	});

	test('many batches at once on the pool each get their own rows', async () => {
		const tags = Array.from({ length: 40 }, (_, i) => `c${i}`);
		const results = await Promise.all(
			tags.map((tag, i) => h.db.transaction().execute((trx) => runTogether(trx, [add.bind(trx, tag, i), divide.bind(trx, (i % 5) + 1), look.bind(trx, tag)])))
		);
		results.forEach(([added, [q], [seen]], i) => {
			expect(added).toEqual([{ n: i }]);
			expect(q.q).toBe(Math.trunc(10 / ((i % 5) + 1)));
			expect(seen.n).toBe(1);
		});
	});
});
