import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { DataDirError } from '../../src/lib/server/db/data-dir-lock';
import { isStorageFailure } from '../../src/lib/server/db/storage-failure';
import { seedPgdataFromTemplate } from '../../src/lib/server/db/pgdata-template';

// The embedded database (PGlite) on a data directory that cannot be used, at start and while running.
// Note: PGlite only (the .pglite.test.ts files run in the PGlite project alone).
const dirs: string[] = [];
function tempDir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-storage-'));
	dirs.push(d);
	return d;
}
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded database storage failures', () => {
	test('a data directory that cannot be created gives a clear Vietnamese message, not a stack', async () => {
		const file = path.join(tempDir(), 'a-file');
		fs.writeFileSync(file, '');
		const error = await connectDatabase({ dataDir: path.join(file, 'data') }).catch((e) => e);
		expect(error).toBeInstanceOf(DataDirError);
		expect(error.message).toContain('Không mở được cơ sở dữ liệu nhúng trong thư mục');
		expect(error.message).toContain('HOCSO_DATA_DIR');
		expect(error.message).not.toMatch(/\n\s+at /);
	});

	test('a write that fails on the files is reported once as a storage failure; ordinary errors are not', async () => {
		const dir = tempDir();
		// A copy of the data directory initdb leaves (made once per run), rather than initdb again here.
		expect(seedPgdataFromTemplate(path.join(dir, 'pgdata'), inject('pgliteEmptyDir'))).toBe(true);
		const failures: unknown[] = [];
		const h = await connectDatabase({ dataDir: dir, onStorageFailure: (e) => failures.push(e) });
		try {
			await sql`create table t (a int unique)`.execute(h.db);
			await sql`insert into t values (1)`.execute(h.db);
			// An ordinary error leaves the database as it was.
			await expect(sql`insert into t values (1)`.execute(h.db)).rejects.toThrow('duplicate key value');
			expect(failures).toEqual([]);

			// The database's directory replaced by a file: a new table cannot be created there.
			const base = path.join(dir, 'pgdata', 'base');
			const dbDir = fs
				.readdirSync(base)
				.map((d) => path.join(base, d))
				.sort((a, b) => fs.readdirSync(b).length - fs.readdirSync(a).length)[0];
			fs.renameSync(dbDir, `${dbDir}.away`);
			fs.writeFileSync(dbDir, '');
			const error = await sql`create table u (a int)`.execute(h.db).catch((e) => e);
			expect(error.message).toContain('is not a directory');
			expect(isStorageFailure(error)).toBe(true);
			await sql`create table v (a int)`.execute(h.db).catch(() => {});
			expect(failures).toHaveLength(1);
			expect(failures[0]).toBe(error);
			fs.rmSync(dbDir);
			fs.renameSync(`${dbDir}.away`, dbDir);
		} finally {
			await h.close();
		}
	});
});
