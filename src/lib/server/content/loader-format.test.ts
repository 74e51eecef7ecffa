import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadContent } from './loader';
import { renderGiftText } from './gift-html';

const COURSE = `---
code: K98
title: Khóa thử định dạng
summary: Thử các cách viết bài.
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

const HEAD = `---
title: Bài thử
minutes: 3
sources:
  - title: Nguồn thử
    url: https://example.org/
---
`;

let roots: string[] = [];
afterEach(() => {
	for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
	roots = [];
});

/** A content folder with one course whose first lesson has `body` (after the front matter, which ends on line 7). */
function load(body: string, opts: { crlf?: boolean; media?: Record<string, string> } = {}) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-format-'));
	roots.push(root);
	const dir = path.join(root, 'courses', '01-khoa-thu');
	fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'course.md'), COURSE);
	let text = HEAD + body;
	if (opts.crlf) text = text.replace(/\n/g, '\r\n');
	fs.writeFileSync(path.join(dir, '01-bai-thu.md'), text);
	for (const [name, data] of Object.entries(opts.media ?? {})) fs.writeFileSync(path.join(dir, 'media', name), data);
	const content = loadContent(root);
	const lesson = content.courses[0]?.lessons[0];
	const problems = content.problems.map((p) => `${p.line}: ${p.severity}: ${p.message}`);
	return { content, lesson, problems };
}

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>';

describe('quiz fences', () => {
	test.each(['gift', 'GIFT', 'Gift', 'gift Câu hỏi ôn tập', 'GIFT  title'])('```%s is a quiz, not shown as code', (info) => {
		const { lesson, problems } = load(`Nội dung.\n\n\`\`\`${info}\n::q1:: Đúng không? {=Có ~Không}\n\`\`\`\n`);
		expect(problems).toEqual([]);
		expect(lesson.questions.map((q) => q.id)).toEqual(['q1']);
		expect(lesson.html).not.toContain('=Có');
	});

	test('a code block that looks like a quiz but is not one is an error at its line', () => {
		const { problems } = load(`Nội dung.\n\n\`\`\`quiz\n::q1:: Đúng không? {=Có ~Không}\n\`\`\`\n`);
		expect(problems).toEqual(['10: error: Khối ```quiz trông như câu hỏi GIFT nhưng không được đọc thành câu hỏi: người học sẽ thấy cả đáp án. Mở khối bằng ```gift.']);
		const bare = load(`Nội dung.\n\n\`\`\`\nĐúng không? {T}\n\`\`\`\n`);
		expect(bare.problems).toEqual(['10: error: Khối mã này trông như câu hỏi GIFT nhưng không được đọc thành câu hỏi: người học sẽ thấy cả đáp án. Mở khối bằng ```gift.']);
	});

	test('a quiz written as a paragraph, outside any block, is an error', () => {
		const { problems } = load(`Nội dung.\n\n::q1:: Mạng nào miễn phí? {=Wi-Fi nhà ~4G}\n`);
		expect(problems).toEqual(['10: error: Đoạn này trông như câu hỏi GIFT nhưng nằm ngoài khối ```gift: người học sẽ thấy cả đáp án. Đặt câu hỏi giữa hai dòng ```gift và ```.']);
	});

	test('ordinary code and text with braces are left alone', () => {
		const { problems } = load('Nội dung {không phải câu hỏi}.\n\n```\nnpm run content:check\n```\n\nGõ `{=Có}` để ví dụ.\n');
		expect(problems).toEqual([]);
	});
});

describe('Windows line endings', () => {
	test('problems are reported at the right line in a file saved with CRLF', () => {
		const body = Array.from({ length: 60 }, (_, i) => `Dòng ${i + 8}.\n`).join('\n') + '\n```gift\n::q1:: Số? {#abc}\n```\n';
		const lf = load(body);
		const crlf = load(body, { crlf: true });
		expect(lf.problems).toHaveLength(1);
		expect(crlf.problems).toEqual(lf.problems);
		expect(crlf.problems[0]).toMatch(/^129: error: /);
		const img = load('Một.\r\n\r\nHai.\r\n\r\n![](media/a.svg)\r\n', { media: { 'a.svg': SVG } });
		expect(img.problems[0]).toMatch(/^12: error: Ảnh "media\/a.svg" thiếu chú thích/);
	});
});

describe('% in link and image paths', () => {
	test('a % that is not an escape is a problem at its line, not a crash', () => {
		const { problems } = load('Xem ảnh.\n\n![Biểu đồ](media/100%.svg)\n\n[Tải về](media/50%.svg)\n', { media: { '100%.svg': SVG, '50%.svg': SVG } });
		expect(problems).toEqual([
			'10: error: Đường dẫn "media/100%.svg" có dấu % không hợp lệ: trong liên kết, % phải viết là %25 (ví dụ media/100%25.svg); tốt hơn là đổi tên tệp cho không có dấu %.',
			'12: error: Đường dẫn "media/50%.svg" có dấu % không hợp lệ: trong liên kết, % phải viết là %25 (ví dụ media/100%25.svg); tốt hơn là đổi tên tệp cho không có dấu %.'
		]);
	});

	test('written %25, the file is found', () => {
		const { problems, lesson } = load('![Biểu đồ](media/100%25.svg)\n', { media: { '100%.svg': SVG } });
		expect(problems).toEqual([]);
		expect(lesson.html).toContain('/media/khoa-thu/media/100%25.svg?v=');
	});
});

describe('duplicate question names in one lesson', () => {
	test('across two quiz blocks: a warning and a numbered id, not a refusal', () => {
		const { lesson, problems } = load('```gift\n::tên:: Một? {T}\n```\n\nGiữa.\n\n```gift\n::tên:: Hai? {F}\n```\n');
		expect(lesson.questions.map((q) => q.id)).toEqual(['ten', 'ten-2']);
		expect(problems).toEqual(['15: warning: Tên câu hỏi "tên" trùng với câu ở dòng 9: câu này lấy mã "ten-2". Nên đặt tên riêng (::ten-2::) để mã không đổi khi thêm hay bớt câu.']);
	});
});

describe('[markdown] text in questions', () => {
	test('block Markdown is rendered (paragraphs, lists), sanitised', () => {
		const html = renderGiftText({ format: 'markdown', text: 'Tin nhắn:\n\n- **Trúng thưởng**\n- Bấm [liên kết](https://x.example)\n\n<script>alert(1)</script><img src=x onerror=alert(1)>' });
		expect(html).toContain('<p>Tin nhắn:</p>');
		expect(html).toMatch(/<ul>\s*<li><strong>Trúng thưởng<\/strong><\/li>/);
		expect(html).not.toContain('<script');
		expect(html).not.toContain('onerror');
	});

	test('one paragraph stays inline', () => {
		expect(renderGiftText({ format: 'markdown', text: 'Chọn **một** ý' })).toBe('Chọn <strong>một</strong> ý');
	});
});
