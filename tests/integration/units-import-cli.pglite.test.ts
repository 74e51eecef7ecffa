import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runNpmCommand } from './support/cli';
import { connectDatabase } from '../../src/lib/server/db/connect';
import { seedPgdataFromTemplate } from '../../src/lib/server/db/pgdata-template';

// The command itself, once, in a new process, on an embedded database in a temporary directory: the wiring of
// arguments, file, database and output. What it prints for good and bad files is in units-import.test.ts, which
// calls the same functions on both databases.
describe('npm run units:import (the command)', { timeout: 300_000 }, () => {
	let dir: string;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-units-'));
		// The data directory starts as a copy of the migrated template, as a new one does from the build's.
		if (!seedPgdataFromTemplate(path.join(dir, 'data', 'pgdata'), inject('pgliteTemplateDir'))) throw new Error('no template to copy');
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('imports a file named on the command line into HOCSO_DATA_DIR and prints what it added', async () => {
		const file = path.join(dir, 'tinh-moi.csv');
		fs.writeFileSync(file, 'code,name,level,type,parent_code,valid_from,valid_to\n93,Mới,province,tỉnh,,2025-07-01,\n93001,Một,commune,xã,93,2025-07-01,\n');
		const run = await runNpmCommand(['units:import', '--', file], { HOCSO_DATA_DIR: path.join(dir, 'data') });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('Đã nhập tinh-moi.csv:\nThêm mới: 2\n  93  tỉnh Mới\n  93001  xã Một\nThay đổi: 0\nKết thúc: 0');
		const h = await connectDatabase({ dataDir: path.join(dir, 'data') });
		try {
			const units = await h.db.selectFrom('unit').select(['code', 'name', 'type']).where('code', 'in', ['93', '93001']).orderBy('code').execute();
			expect(units).toEqual([
				{ code: '93', name: 'Mới', type: 'tỉnh' },
				{ code: '93001', name: 'Một', type: 'xã' }
			]);
		} finally {
			await h.close();
		}
	});
});
