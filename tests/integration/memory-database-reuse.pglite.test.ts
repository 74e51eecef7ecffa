import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createTestDatabase, databaseState } from './support/test-db';

// A worker process keeps the in-memory database of its previous file, emptied, only when it is provably in the
// template's state again (support/test-db.ts). These check both halves: what a test wrote is gone from the database
// the next file gets, and a change the emptying cannot undo makes the next file get a new database.
describe('the in-memory database a test file leaves behind', () => {
	test('is emptied for the next file: no rows, identities from 1, the same state as a new one', async () => {
		const first = await createTestDatabase();
		const fresh = await databaseState(first.db);
		const { id } = await first.db.insertInto('app_user').values({ kind: 'guest' }).returning('id').executeTakeFirstOrThrow();
		await first.db.insertInto('app_user').values({ kind: 'guest' }).execute();
		await sql`set statement_timeout = '5s'`.execute(first.db);
		expect(await databaseState(first.db)).not.toBe(fresh);
		await first.close();

		const next = await createTestDatabase();
		try {
			expect(next.db).toBe(first.db); // the same database, kept
			expect(await databaseState(next.db)).toBe(fresh);
			expect(await next.db.selectFrom('app_user').select('id').execute()).toEqual([]);
			const again = await next.db.insertInto('app_user').values({ kind: 'guest' }).returning('id').executeTakeFirstOrThrow();
			expect(again.id).toBe(id);
			expect((await sql<{ t: string }>`show statement_timeout`.execute(next.db)).rows[0]).toEqual({ statement_timeout: '0' });
		} finally {
			await next.close();
		}
	});

	test('is not kept when the catalog changed: a table, a setting of the database, a sequence, a function', async () => {
		const h = await createTestDatabase();
		const before = await databaseState(h.db);
		// Each change is seen, and undoing it gives the same state again.
		const changes = [
			[sql`create table left_behind (a int)`, sql`drop table left_behind`],
			[sql`alter database postgres set work_mem = '8MB'`, sql`alter database postgres reset work_mem`],
			[sql`create sequence left_behind_seq`, sql`drop sequence left_behind_seq`],
			[sql`create function left_behind() returns int language sql as 'select 1'`, sql`drop function left_behind()`]
		];
		for (const [change, undo] of changes) {
			await change.execute(h.db);
			expect(await databaseState(h.db)).not.toBe(before);
			await undo.execute(h.db);
			expect(await databaseState(h.db)).toBe(before);
		}
		// A change left in place: the next file gets a new database.
		await sql`create table left_behind (a int)`.execute(h.db);
		await h.close();
		const next = await createTestDatabase();
		try {
			expect(next.db).not.toBe(h.db);
			expect(await databaseState(next.db)).toBe(before);
		} finally {
			await next.close();
		}
	});

	test('is not kept when a test left a transaction open', async () => {
		const h = await createTestDatabase();
		await sql`begin`.execute(h.db);
		await h.db.insertInto('app_user').values({ kind: 'guest' }).execute();
		await h.close();
		const next = await createTestDatabase();
		try {
			expect(next.db).not.toBe(h.db);
			expect(await next.db.selectFrom('app_user').select('id').execute()).toEqual([]);
		} finally {
			await next.close();
		}
	});
});
