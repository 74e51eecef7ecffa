import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContent } from '../loader';
import { appendGiftToLesson, exportCourseGift, lessonCategory } from './bank';
import { exportGift } from './export';
import { parseGift } from './parse';
import { MOODLE_FRACTIONS } from './weights';
import type { GiftFormat, GiftQuestion, GiftText } from './types';

const doc = fs.readFileSync(new URL('../../../../../docs/course-format.md', import.meta.url), 'utf8');
/** Every ```gift block of the course format document (also those shown inside ```` fences). */
const examples = [...doc.matchAll(/^```gift[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

const LESSON_HEAD = '---\ntitle: Bài nhập\nminutes: 3\nsources:\n  - title: Nguồn thử\n    url: https://example.org/\n---\nNội dung.\n';
const COURSE_MD = `---
code: K97
title: Khóa nhập câu hỏi
summary: Thử nhập ngân hàng câu hỏi.
audience: [citizen]
level: basic
minutes: 5
competences: [tt02:1.1]
qd757: [nguoi-dan]
completion: all-lessons-and-quizzes
pass_mark: 80
sources:
  - title: Nguồn thử
    url: https://example.org/
---
Giới thiệu.
`;

function strip(questions: GiftQuestion[]) {
	return questions.map(({ line: _line, category: _category, ...rest }) => rest);
}

const roots: string[] = [];
afterAll(() => {
	for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** Appends `gift` to a fresh lesson of a fresh course and loads it as the app does. */
function importIntoLesson(gift: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-import-'));
	roots.push(root);
	const dir = path.join(root, 'courses', '01-khoa-nhap');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'course.md'), COURSE_MD);
	const result = appendGiftToLesson(LESSON_HEAD, gift, 'bai-nhap');
	fs.writeFileSync(path.join(dir, '01-bai-nhap.md'), result.text);
	const content = loadContent(root);
	return { result, content, lesson: content.courses[0]?.lessons[0] };
}

describe('Moodle round trip of the examples in docs/course-format.md', () => {
	it('finds the examples', () => {
		expect(examples.length).toBeGreaterThanOrEqual(2);
	});

	it.each(examples.map((e, i) => [i + 1, e]))('export: example %i reads back from the course file as the same questions', (n, source) => {
		const first = parseGift(source as string, { idPrefix: 'bai' });
		expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
		const course = { code: 'K9', title: 'Khóa ví dụ', lessons: [{ position: n as number, title: 'Bài ví dụ', questions: first.questions }] };
		const bank = exportCourseGift(course as never);
		const back = parseGift(bank.text, { idPrefix: 'bai' });
		expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(strip(back.questions)).toEqual(strip(first.questions));
		expect(new Set(back.questions.map((q) => q.category))).toEqual(new Set([lessonCategory(course, course.lessons[0])]));
	});

	it('export of a course: one $CATEGORY per lesson with questions, in lesson order, with its questions under it', () => {
		const lessons = examples.map((source, i) => ({ position: i + 1, title: `Bài ${i + 1}: ví dụ/mẫu`, questions: parseGift(source, { idPrefix: `bai-${i + 1}` }).questions }));
		lessons.push({ position: lessons.length + 1, title: 'Bài không có câu hỏi', questions: [] });
		const course = { code: 'K9', title: 'Khóa ví dụ', lessons };
		const bank = exportCourseGift(course as never);
		expect(bank.lessons).toBe(examples.length);
		expect(bank.questions).toBe(lessons.reduce((n, l) => n + l.questions.length, 0));
		expect(bank.text.match(/^\$CATEGORY: .*$/gm)).toEqual(lessons.slice(0, -1).map((l) => `$CATEGORY: ${lessonCategory(course, l)}`));
		expect(lessonCategory(course, lessons[0])).toBe('$course$/top/K9 Khóa ví dụ/01 Bài 1: ví dụ//mẫu');
		const back = parseGift(bank.text, { idPrefix: 'x' }).questions;
		for (const l of lessons) {
			expect(back.filter((q) => q.category === lessonCategory(course, l)).map((q) => q.name)).toEqual(l.questions.map((q) => q.name));
		}
	});

	it.each(examples.map((e, i) => [i + 1, e]))('import: example %i appended to a lesson gives the same questions', (_n, source) => {
		const { result, lesson, content } = importIntoLesson(source as string);
		expect(content.problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(result.text.startsWith(LESSON_HEAD)).toBe(true);
		expect(strip(lesson.questions)).toEqual(strip(parseGift(source as string, { idPrefix: 'bai-nhap' }).questions));
		// The export of the lesson imports back as the same questions too.
		const again = importIntoLesson(exportGift(lesson.questions));
		expect(strip(again.lesson.questions)).toEqual(strip(lesson.questions));
	});
});

describe('import', () => {
	it('keeps the file as written, in a fence no backtick run inside can close; CRLF and BOM are dropped', () => {
		const r = appendGiftToLesson(LESSON_HEAD, '\uFEFF// Ngân hàng ```cũ```\r\n::a:: Một? {T}\r\n', 'bai');
		expect(r.text).toBe(`${LESSON_HEAD}\n\`\`\`\`gift\n// Ngân hàng \`\`\`cũ\`\`\`\n::a:: Một? {T}\n\`\`\`\`\n`);
		expect(r.firstLine).toBe(10);
		expect(r.lastLine).toBe(13);
	});

	it('refuses a file with errors, at the lines of the file, and changes nothing', () => {
		const r = appendGiftToLesson(LESSON_HEAD, '::a:: Một? {T}\n\n::b:: Hai? {=A ~B', 'bai');
		expect(r.text).toBe(LESSON_HEAD);
		expect(r.problems).toMatchObject([{ line: 3, severity: 'error' }]);
	});
});

/** Seeded pseudo-random numbers (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A bank of `n` questions of every type with texts full of GIFT's special characters, Vietnamese letters and
 * line breaks, built as the parser would read them. Note: no "->" inside an answer block: GIFT (Moodle's parser
 * too) reads any answer block holding "->" as a matching question, and has no escape for it.
 */
function generateBank(n: number, seed: number): GiftQuestion[] {
	const rnd = random(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
	const WORDS = ['Wi-Fi', 'mật khẩu', 'Zalo', 'VNeID', 'đồng', '5.000.000', 'a=b', 'x~y', '#1', '{mở}', 'đóng}', 'giờ:phút', 'C:\\thư mục', 'dòng\nmới', '100%', 'ảnh*', 'Ðà Nẵng', 'khoẻ', '"trích"', '<b>đậm</b>'];
	let unique = 0;
	const text = (avoid: RegExp = /^$/): string => {
		for (;;) {
			const words = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(WORDS));
			const t = `${words.join(' ')} ${++unique}`;
			if (!avoid.test(t)) return t;
		}
	};
	const gtext = (format: GiftFormat = 'moodle'): GiftText => ({ text: text(/^[%[]/), format });
	const positive = MOODLE_FRACTIONS;
	const out: GiftQuestion[] = [];
	for (let i = 0; i < n; i++) {
		const name = `Câu ${i + 1} ${pick(['an toàn', 'Wi-Fi', 'tiền'])}`;
		const id = name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/đ/g, 'd')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-');
		const format = pick(['moodle', 'moodle', 'markdown', 'html', 'plain'] as const);
		const base = { name, id, idDerived: false, line: 0, stem: gtext(format), ...(rnd() < 0.3 ? { generalFeedback: gtext(format) } : {}) };
		const fb = () => (rnd() < 0.5 ? { feedback: gtext(format) } : {});
		const type = pick(['multichoice', 'multichoice-many', 'truefalse', 'shortanswer', 'matching', 'numerical', 'essay'] as const);
		switch (type) {
			case 'multichoice': {
				const others = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({ text: gtext(format), fraction: rnd() < 0.3 ? pick(positive.slice(1)) : 0, ...fb() }));
				out.push({ ...base, type: 'multichoice', single: true, choices: [{ text: gtext(format), fraction: 1, ...fb() }, ...others] });
				break;
			}
			case 'multichoice-many': {
				const k = pick([2, 4, 5]);
				const right = Array.from({ length: k }, () => ({ text: gtext(format), fraction: 1 / k === 0.25 ? 0.25 : k === 2 ? 0.5 : 0.2, ...fb() }));
				const wrong = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({ text: gtext(format), fraction: -pick(positive), ...fb() }));
				out.push({ ...base, type: 'multichoice', single: false, choices: [...right, ...wrong] });
				break;
			}
			case 'truefalse':
				out.push({ ...base, type: 'truefalse', answer: rnd() < 0.5, ...(rnd() < 0.5 ? { feedbackWrong: gtext(format) } : {}), feedbackRight: gtext(format) });
				break;
			case 'shortanswer':
				out.push({
					...base,
					type: 'shortanswer',
					answers: [{ text: text(/^[%[]/), fraction: 1, ...fb() }, ...Array.from({ length: Math.floor(rnd() * 3) }, () => ({ text: text(/^[%[]/), fraction: pick(positive.slice(1)), ...fb() }))]
				});
				break;
			case 'matching': {
				const pairs = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => ({ left: { text: text(/^[%[]|->/), format }, right: text(/->/) }));
				out.push({ ...base, type: 'matching', pairs, distractors: rnd() < 0.5 || pairs.length < 3 ? [text(/->/)] : [] });
				break;
			}
			case 'numerical': {
				const value = Math.round((rnd() - 0.3) * 10 ** Math.floor(rnd() * 8)) / pick([1, 10, 100, 1000]) || 0;
				const answers = [
					{ kind: 'exact' as const, value, tolerance: pick([0, 0.5, 0.01, 1000]), fraction: 1, ...fb() },
					...(rnd() < 0.4 ? [{ kind: 'range' as const, min: value - 10, max: value + 10, fraction: pick(positive.slice(1)), ...fb() }] : [])
				];
				out.push({ ...base, type: 'numerical', answers, ...(rnd() < 0.4 ? { otherFeedback: gtext(format) } : {}) });
				break;
			}
			case 'essay':
				out.push({ ...base, type: 'essay' });
				break;
		}
	}
	return out;
}

describe('a large generated bank', () => {
	const bank = generateBank(3000, 20261201);

	it('exports to GIFT that reads back as the very same questions', () => {
		const text = exportGift(bank);
		const back = parseGift(text, { idPrefix: 'bai' });
		expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(back.questions).toHaveLength(bank.length);
		expect(strip(back.questions)).toEqual(strip(bank));
	});

	it('imports into a lesson and loads as the same questions', () => {
		const { lesson, content } = importIntoLesson(exportGift(bank));
		expect(content.problems.filter((p) => p.severity === 'error')).toEqual([]);
		expect(strip(lesson.questions)).toEqual(strip(bank));
	});
});
