import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sql } from 'kysely';
import { countingStatements, createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { doStartupWork, readyConnections } from '../../src/lib/server/startup';
import { poolSize } from '../../src/lib/server/db';

describe(`work done once at start (${testDbKind})`, () => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await createTestDatabase();
	});
	afterAll(async () => {
		await h?.close();
	});

	test('a start rebuilds a missing unit scope, and a later one sees in one statement that nothing is left', async () => {
		const scopeRows = async () => Number((await h.db.selectFrom('unit_scope').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
		await doStartupWork(h.db);
		const units = await h.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		const scoped = await scopeRows();
		expect(Number(units.n)).toBeGreaterThan(0);
		expect(scoped).toBeGreaterThan(0);
		await h.db.deleteFrom('unit_scope').execute();
		await doStartupWork(h.db);
		expect(await scopeRows()).toBe(scoped);

		const { db: counted, count: statements } = countingStatements(h.db);
		await doStartupWork(counted);
		expect(statements()).toBe(1);
		const again = await h.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(again.n)).toBe(Number(units.n));
	});

	test('readying the connections opens the pool on a server, each connection with the quiz statements prepared', async () => {
		const warn = vi.spyOn(console, 'warn');
		try {
			await readyConnections(h.db);
			expect(warn).not.toHaveBeenCalled();
		} finally {
			warn.mockRestore();
		}
		if (testDbKind !== 'postgres') return;
		const { rows } = await sql<{ n: number }>`
			select count(*)::int as n from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`.execute(h.db);
		expect(rows[0].n).toBeGreaterThanOrEqual(poolSize());
	});
});
