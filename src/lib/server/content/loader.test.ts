import { describe, expect, test } from 'vitest';
import { loadContent } from './loader';

const ROOT = 'tests/fixtures/content-bad';
const C = `${ROOT}/courses/01-khoa-loi`;

describe('content check finds each planted mistake at its file and line', () => {
	const { problems } = loadContent(ROOT);
	const at = (file: string, line: number) => problems.filter((p) => p.file === file && p.line === line).map((p) => p.message);

	test.each([
		[`${C}/course.md`, 8, 'tt02:9.9'],
		[`${C}/01-bai-mot.md`, 12, 'thiếu chú thích thay thế (alt)'],
		[`${C}/01-bai-mot.md`, 14, 'Không tìm thấy tệp "media/khong-co.svg"'],
		[`${C}/01-bai-mot.md`, 16, 'Liên kết "03-khong-co.md" hỏng'],
		[`${C}/01-bai-mot.md`, 18, 'chưa được đóng'],
		[`${C}/02-bai-hai.md`, 11, 'thiếu `captions`'],
		[`${C}/02-bai-hai.md`, 16, 'Trùng mã câu hỏi "trung"'],
		[`${C}/02-bai-hai.md`, 18, '"abc" không phải là số'],
		[`${C}/03-bai-hai.md`, 1, 'Trùng tên bài "bai-hai"'],
		[`${C}/Bai-Sai-Ten.md`, 1, 'phải có dạng NN-ten-bai.md'],
		[`${ROOT}/courses/02-khoa-thieu/course.md`, 4, 'sai cú pháp']
	])('%s:%i %s', (file, line, text) => {
		expect(at(file, line).join('\n')).toContain(text);
	});

	test('every problem in the bad fixture is an error with a real line', () => {
		expect(problems.length).toBeGreaterThanOrEqual(11);
		for (const p of problems) expect(p.line).toBeGreaterThan(0);
	});
});

describe('the real courses', () => {
	test('load without errors', () => {
		const { problems, courses } = loadContent('content');
		expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(courses.length).toBeGreaterThanOrEqual(2);
		for (const c of courses) expect(c.lessons.length).toBeGreaterThanOrEqual(3);
	});
});
