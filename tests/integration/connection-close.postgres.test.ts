import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { adminQuery } from './support/template';
import { takeServerDatabase, type ServerDatabase } from './support/test-db';

// Closing the app's database on a PostgreSQL server (shutdown, a CLI command ending, a test file ending) returns
// once the server has seen every connection go: what comes next (dropping the database, stopping the server) must
// not cut a connection off while it closes, which logs errors and fails a test run that ends at that moment.

const servers: ServerDatabase[] = [];
afterAll(() => servers.forEach((s) => s.drop()));

async function connectionsTo(name: string): Promise<number> {
	const [{ rows }] = await adminQuery(`select count(*)::int as n from pg_stat_activity where datname = '${name}'`);
	return (rows[0] as { n: number }).n;
}

describe('closing a PostgreSQL pool', () => {
	test('ends every connection before close() returns, many times in a row', async () => {
		for (let round = 0; round < 5; round++) {
			const server = await takeServerDatabase({ migrated: false });
			servers.push(server);
			const h = await connectDatabase({ url: server.url, poolSize: 8 });
			// Eight statements at once: the pool opens eight connections, all idle when they are done.
			await Promise.all(Array.from({ length: 8 }, () => sql`select pg_sleep(0.05)`.execute(h.db)));
			expect(await connectionsTo(server.name)).toBe(8);
			await h.close();
			expect(await connectionsTo(server.name)).toBe(0);
		}
	});
});
