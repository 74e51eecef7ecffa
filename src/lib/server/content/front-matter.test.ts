import { describe, expect, test } from 'vitest';
import { parseCourseFile } from './front-matter';
import type { ContentProblem } from './problems';

function course(extra: string) {
	const text = `---
code: K97
title: Khóa thử nhóm người học
summary: Thử khóa qd757.
audience: [citizen]
level: basic
minutes: 5
competences: [digcomp:1.1]
${extra}completion: all-lessons
pass_mark: 80
sources:
  - title: Nguồn thử
    url: https://example.org/
---
Giới thiệu.
`;
	const problems: ContentProblem[] = [];
	const parsed = parseCourseFile(text, 'course.md', problems);
	return { meta: parsed.meta, problems: problems.map((p) => `${p.line}: ${p.severity}: ${p.message}`) };
}

describe('qd757: learner groups of Decision 757/QĐ-BKHCN', () => {
	test('known groups are kept in order', () => {
		const { meta, problems } = course('qd757: [nguoi-dan, can-bo-cong-chuc-vien-chuc]\n');
		expect(problems).toEqual([]);
		expect(meta?.qd757).toEqual(['nguoi-dan', 'can-bo-cong-chuc-vien-chuc']);
	});

	test('an unknown group is an error at its line, naming the allowed groups', () => {
		const { meta, problems } = course('qd757: [nguoi-dan, cong-chuc]\n');
		expect(meta).toBeNull();
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^9: error: Nhóm "cong-chuc" không có trong Quyết định 757\/QĐ-BKHCN; dùng hoc-sinh-sinh-vien, nguoi-dan, /);
	});

	test('a value that is not a list, or an empty list, is an error', () => {
		for (const v of ['nguoi-dan', '[]']) {
			const { meta, problems } = course(`qd757: ${v}\n`);
			expect(meta, v).toBeNull();
			expect(problems[0], v).toMatch(/^9: error: `qd757` phải là danh sách nhóm người học/);
		}
	});

	test('a course without the field is published, with a warning', () => {
		const { meta, problems } = course('');
		expect(meta?.qd757).toEqual([]);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/warning: Khóa học nên ghi nhóm người học theo Quyết định 757\/QĐ-BKHCN/);
	});
});
