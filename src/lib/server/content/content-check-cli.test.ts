import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

function check(...args: string[]) {
	const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/content-check.ts', ...args], { encoding: 'utf8' });
	return { code: r.status, out: r.stdout + r.stderr };
}

// Each case starts tsx: seconds on a busy machine.
describe('npm run content:check', { timeout: 60_000 }, () => {
	test('a path that does not exist is named, and the check fails', () => {
		const r = check('content/courses/99-not-there');
		expect(r.out).toContain('Không tìm thấy "content/courses/99-not-there"');
		expect(r.out).not.toContain('0 lỗi');
		expect(r.code).toBe(1);
	});

	test('one course folder of the fixtures: its problems with file and line, exit 1', () => {
		const r = check('tests/fixtures/content-bad/courses/01-khoa-loi');
		expect(r.out).toContain('tests/fixtures/content-bad/courses/01-khoa-loi/01-bai-mot.md:12:');
		expect(r.code).toBe(1);
	});
});
