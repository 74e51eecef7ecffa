import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeDatabase, db, replicaDb } from '../../src/lib/server/db';
import { startReplicaPair, type ReplicaPair } from './support/replica';

// Reads that may lag go to a hot-standby replica (DATABASE_REPLICA_URL); everything else to the primary. A real
// primary and streaming replica are started for this file (PostgreSQL server only: `*.postgres.test.ts`).
describe('a streaming replica for statistics', () => {
	let pair: ReplicaPair;
	const saved = { url: process.env.DATABASE_URL, replica: process.env.DATABASE_REPLICA_URL };
	beforeAll(async () => {
		pair = await startReplicaPair();
		process.env.DATABASE_URL = pair.primaryUrl;
		process.env.DATABASE_REPLICA_URL = pair.replicaUrl;
	});
	afterAll(async () => {
		await closeDatabase();
		pair?.stop();
		process.env.DATABASE_URL = saved.url;
		process.env.DATABASE_REPLICA_URL = saved.replica;
		if (saved.url === undefined) delete process.env.DATABASE_URL;
		if (saved.replica === undefined) delete process.env.DATABASE_REPLICA_URL;
	});

	const inRecovery = async (k: Awaited<ReturnType<typeof db>>) =>
		(await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(k)).rows[0].r;

	test('writes and a learner\'s own reads use the primary; lagging reads use the replica and see the writes', async () => {
		const primary = await db();
		const replica = await replicaDb();
		expect(await inRecovery(primary)).toBe(false);
		expect(await inRecovery(replica)).toBe(true);

		// The schema was migrated on the primary and streamed to the replica.
		await primary.insertInto('unit').values({ code: 'R1', name: 'Thử bản sao', level: 'province', type: 'tỉnh', search_key: ' thu ban sao' }).execute();
		let seen = 0;
		for (let i = 0; i < 100 && !seen; i++) {
			// Until the replica has replayed the migrations, the table itself may not be there yet (42P01).
			seen = await replica
				.selectFrom('unit')
				.select('id')
				.where('code', '=', 'R1')
				.execute()
				.then((rows) => rows.length)
				.catch((e: { code?: string }) => {
					if (e.code === '42P01') return 0;
					throw e;
				});
			if (!seen) await new Promise((r) => setTimeout(r, 100));
		}
		expect(seen).toBe(1);

		// The replica refuses writes: nothing can be written there by mistake.
		await expect(replica.insertInto('unit').values({ code: 'R2', name: 'Không được', level: 'province', type: 'tỉnh', search_key: ' x' }).execute()).rejects.toMatchObject({
			code: '25006'
		});
	});
});
