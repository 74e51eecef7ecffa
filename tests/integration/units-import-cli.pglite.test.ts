import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runNpmCommand } from './support/cli';

// The command itself, once, on an embedded database in a temporary directory (the import's cases are in
// units-import.test.ts, which calls the same function on both databases).
describe('npm run units:import (the command)', { timeout: 300_000 }, () => {
	let dir: string;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-units-'));
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('refuses a bad file with its lines and exit code 1, then imports a good one and prints what it added', async () => {
		const file = path.join(dir, 'tinh-moi.csv');
		const db = { HOCSO_DATA_DIR: path.join(dir, 'data') };
		fs.writeFileSync(file, 'code,name,level,type,parent_code,valid_from,valid_to\n93,Mới,province,tỉnh,,2025-07-01,\n93001,Một,commune,làng,93,2025-07-01,x\n');
		const bad = await runNpmCommand(['units:import', '--', file], db);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('Không nhập tinh-moi.csv: tệp có 1 lỗi, không thay đổi gì.');
		expect(bad.stderr).toContain('tinh-moi.csv, dòng 3: ngày "x" không đúng dạng YYYY-MM-DD');
		fs.writeFileSync(file, 'code,name,level,type,parent_code,valid_from,valid_to\n93,Mới,province,tỉnh,,2025-07-01,\n93001,Một,commune,xã,93,2025-07-01,\n');
		const good = await runNpmCommand(['units:import', '--', file], db);
		expect(good.stderr).toBe('');
		expect(good.code).toBe(0);
		expect(good.stdout).toContain('Đã nhập tinh-moi.csv:\nThêm mới: 2\n  93  tỉnh Mới\n  93001  xã Một\nThay đổi: 0\nKết thúc: 0');
	});
});
