import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingStatements, createTestDatabase, testDbKind } from './support/test-db';
import type { DbHandle } from '../../src/lib/server/db';
import { doStartupWork } from '../../src/lib/server/startup';

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
});
