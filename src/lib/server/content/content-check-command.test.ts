import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { contentCheckCommand } from './commands';

const text = (r: { lines: string[] }) => r.lines.join('\n');

describe('npm run content:check', () => {
	test('a path that does not exist is named, and the check fails', () => {
		const r = contentCheckCommand(['content/courses/99-not-there'], 'content');
		expect(text(r)).toContain('Không tìm thấy "content/courses/99-not-there"');
		expect(text(r)).not.toContain('0 lỗi');
		expect(r.code).toBe(1);
	});

	test('one course folder of the fixtures: its problems with file and line, exit 1', () => {
		const r = contentCheckCommand(['tests/fixtures/content-bad/courses/01-khoa-loi'], 'content');
		expect(text(r)).toContain('tests/fixtures/content-bad/courses/01-khoa-loi/01-bai-mot.md:12:');
		expect(r.code).toBe(1);
	});

	test('the courses of the fixtures without errors: the totals, exit 0', () => {
		const r = contentCheckCommand([], 'tests/fixtures/content');
		expect(r.lines.at(-1)).toMatch(/^\n\d+ khóa học, \d+ bài, \d+ câu hỏi: 0 lỗi, \d+ cảnh báo\.$/);
		expect(r.code).toBe(0);
	});

	// The script only prints what the function returns: one run as a trainer types it.
	test('the command itself prints the same and exits with its code', { timeout: 60_000 }, () => {
		const args = ['tests/fixtures/content-bad/courses/01-khoa-loi'];
		const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/content-check.ts', ...args], { encoding: 'utf8' });
		expect(r.status).toBe(1);
		expect(r.stdout).toBe(`${contentCheckCommand(args, 'content').lines.join('\n')}\n`);
	});
});
