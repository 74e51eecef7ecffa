import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrator';
import { importSeedUnitsIfEmpty } from '../../src/lib/server/units/import';
import { sql } from 'kysely';
import { dropUnusedDatabases, seedPgdataFromTemplate } from '../../src/lib/server/db/pgdata-template';

// The embedded database of a first start is a copy of one prepared at build time (scripts/pglite-template.ts does
// what beforeAll does here). Only the embedded database has data directories: `*.pglite.test.ts` files run in the
// PGlite project only.
describe('a new data directory starts from the prepared template', () => {
	let root: string;
	let template: string;
	beforeAll(async () => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-template-test-'));
		// The build runs initdb and every migration; here the run's migrated data directory stands in for those
		// seconds, and the units are loaded into it as the build does.
		seedPgdataFromTemplate(path.join(root, 'build', 'pgdata'), inject('pgliteTemplateDir'));
		const h = await connectDatabase({ dataDir: path.join(root, 'build') });
		await migrateToLatest(h.db);
		await importSeedUnitsIfEmpty(h.db);
		await dropUnusedDatabases(h.db);
		await h.close();
		template = path.join(root, 'build', 'pgdata');
	});

	/** Files under a directory, counted as a copy makes them. */
	const fileCount = (dir: string): number =>
		fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? fileCount(path.join(dir, e.name)) : 1), 0);

	test('the template holds only the database the app uses, about half the files initdb made', async () => {
		const made = path.join(root, 'as-initdb-made', 'pgdata');
		seedPgdataFromTemplate(made, inject('pgliteTemplateDir'));
		expect(fs.readdirSync(path.join(made, 'base')).sort()).toEqual(['1', '4', '5']);
		expect(fs.readdirSync(path.join(template, 'base'))).toEqual(['5']);
		expect(fileCount(template)).toBeLessThan(fileCount(made) * 0.6);
		const dir = path.join(root, 'trimmed');
		seedPgdataFromTemplate(path.join(dir, 'pgdata'), template);
		const h = await connectDatabase({ dataDir: dir });
		try {
			const { rows } = await sql<{ datname: string }>`select datname from pg_database order by 1`.execute(h.db);
			expect(rows.map((r) => r.datname)).toEqual(['postgres']);
			expect(await migrateToLatest(h.db)).toEqual([]);
		} finally {
			await h.close();
		}
		// And it opens again after that (a restart).
		const again = await connectDatabase({ dataDir: dir });
		try {
			const { n } = await again.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			expect(Number(n)).toBeGreaterThan(300);
		} finally {
			await again.close();
		}
	});
	afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

	test('the copy holds the units and every migration, and is a database of its own', async () => {
		const dir = path.join(root, 'app');
		expect(seedPgdataFromTemplate(path.join(dir, 'pgdata'), template)).toBe(true);
		const h = await connectDatabase({ dataDir: dir });
		try {
			expect(await migrateToLatest(h.db)).toEqual([]);
			const { n } = await h.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			expect(Number(n)).toBeGreaterThan(300);
			await h.db.deleteFrom('unit').where('level', '=', 'hamlet').execute();
			await h.db.insertInto('unit').values({ code: 'T1', name: 'Thử', level: 'province', type: 'tỉnh', search_key: ' thu' }).execute();
		} finally {
			await h.close();
		}
		// Writes to the copy never reach the template.
		const again = path.join(root, 'app2');
		seedPgdataFromTemplate(path.join(again, 'pgdata'), template);
		const h2 = await connectDatabase({ dataDir: again });
		try {
			expect(await h2.db.selectFrom('unit').select('id').where('code', '=', 'T1').execute()).toEqual([]);
		} finally {
			await h2.close();
		}
	});

	test('an existing database is never replaced, and nothing happens without a template', () => {
		const dir = path.join(root, 'existing', 'pgdata');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
		expect(seedPgdataFromTemplate(dir, template)).toBe(false);
		expect(fs.readdirSync(dir)).toEqual(['PG_VERSION']);
		expect(seedPgdataFromTemplate(path.join(root, 'none', 'pgdata'), path.join(root, 'no-such-template'))).toBe(false);
		expect(seedPgdataFromTemplate(path.join(root, 'none', 'pgdata'), undefined)).toBe(false);
		expect(fs.existsSync(path.join(root, 'none', 'pgdata'))).toBe(false);
	});
});
