import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewLesson } from './preview';

// Each test edits a copy of the fixture courses of its own.
let root = '';
let lesson = '';
beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-preview-'));
	fs.cpSync('tests/fixtures/content-sync', root, { recursive: true });
	lesson = path.join(root, 'courses/01-khoa-thu/01-bai-dau.md');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('previewLesson', () => {
	it('a clean lesson: its url, no problems, the lessons of its course', () => {
		const p = previewLesson(root, 'khoa-thu', 'bai-dau')!;
		expect(p).toMatchObject({ lessonTitle: 'Bài đầu', courseTitle: 'Khóa thử đồng bộ', url: '/courses/khoa-thu/bai-dau', problems: [] });
		expect(p.file).toMatch(/01-khoa-thu\/01-bai-dau\.md$/);
		expect(p.lessons.map((l) => l.slug)).toEqual(['bai-dau', 'bai-sau']);
	});

	it('shows the problems of the files as they are now, with their lines, for that lesson only', () => {
		fs.writeFileSync(lesson, fs.readFileSync(lesson, 'utf8').replace('{=Cài đặt ~Danh bạ}', '{=Cài đặt ~Danh bạ'));
		const p = previewLesson(root, 'khoa-thu', 'bai-dau')!;
		expect(p.problems).toMatchObject([{ line: 15, severity: 'error' }]);
		expect(previewLesson(root, 'khoa-thu', 'bai-sau')!.problems).toEqual([]);
	});

	it('a lesson whose front matter is broken is still found, with its problem', () => {
		fs.writeFileSync(lesson, fs.readFileSync(lesson, 'utf8').replace('minutes: 3', 'minutes: ba'));
		const p = previewLesson(root, 'khoa-thu', 'bai-dau')!;
		expect(p.problems.some((x) => x.message.includes('minutes'))).toBe(true);
	});

	it('null for a lesson or course that is not there', () => {
		expect(previewLesson(root, 'khoa-thu', 'khong-co')).toBeNull();
		expect(previewLesson(root, 'khong-co', 'bai-dau')).toBeNull();
	});
});
