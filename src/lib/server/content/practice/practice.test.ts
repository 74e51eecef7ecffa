import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadContent } from '../loader';
import { svgViewBox } from './check';

const COURSE = `---
code: K97
title: Khóa thử thực hành
summary: Thử khối practice.
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

const PHONE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 640"><rect width="360" height="640"/></svg>';

let roots: string[] = [];
afterEach(() => {
	for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
	roots = [];
});

/** One lesson whose body (from line 8) is `body`, with screens a.svg and b.svg in media/. */
function load(body: string, course = COURSE) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-practice-'));
	roots.push(root);
	const dir = path.join(root, 'courses', '01-khoa-thu');
	fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'course.md'), course);
	fs.writeFileSync(path.join(dir, '01-bai-thu.md'), HEAD + body);
	fs.writeFileSync(path.join(dir, 'media', 'a.svg'), PHONE);
	fs.writeFileSync(path.join(dir, 'media', 'b.svg'), PHONE);
	const content = loadContent(root);
	return { lesson: content.courses[0]?.lessons[0], problems: content.problems.map((p) => `${p.line}: ${p.message}`) };
}

// Line 8: "Nội dung.", 9 blank, 10 the fence, 11 the block's first line.
const block = (yaml: string) => `Nội dung.\n\n\`\`\`practice\n${yaml}\`\`\`\n`;

const GOOD = `id: tin-nhan
title: Tin nhắn trúng thưởng
screens:
  tin: media/a.svg
  xong: media/b.svg
start: doc
steps:
  doc:
    screen: tin
    say: Chạm vào nút an toàn.
    hint: Nút xóa ở dưới cùng.
    targets:
      - label: Mở liên kết
        region: [20, 300, 320, 60]
        wrong: Liên kết lạ có thể lấy mất tiền.
      - label: Xóa tin nhắn
        region: [20, 560, 320, 60]
        go: nhap
  nhap:
    screen: tin
    say: Gõ số 6 chữ số.
    input:
      label: Mã
      pattern: '^\\d{6}$'
      message: Mã gồm đúng 6 chữ số.
      go: het
  het:
    screen: xong
    say: Xong.
    end: true
    feedback: Bạn đã làm đúng.
`;

describe('```practice blocks', () => {
	test('a good block becomes a practice and a card linking to it, not a code block', () => {
		const { lesson, problems } = load(block(GOOD));
		expect(problems).toEqual([]);
		expect(lesson.practices).toHaveLength(1);
		const p = lesson.practices[0];
		expect(p.id).toBe('tin-nhan');
		expect(p.start).toBe('doc');
		expect(p.screens.tin.viewBox).toEqual([0, 0, 360, 640]);
		expect(p.screens.tin.url).toMatch(/^\/media\/khoa-thu\/media\/a\.svg\?v=/);
		expect(p.steps.doc.targets.map((t) => [t.label, t.go, t.wrong])).toEqual([
			['Mở liên kết', null, 'Liên kết lạ có thể lấy mất tiền.'],
			['Xóa tin nhắn', 'nhap', null]
		]);
		expect(p.steps.nhap.input).toEqual({ label: 'Mã', pattern: '^\\d{6}$', message: 'Mã gồm đúng 6 chữ số.', go: 'het' });
		expect(lesson.html).toContain('href="/courses/khoa-thu/bai-thu/thuc-hanh/tin-nhan#thuc-hanh"');
		expect(lesson.html).toContain('class="practice-card"');
		expect(lesson.html).not.toContain('<code');
		expect(lesson.html).not.toContain('region');
	});

	test('a missing screen, a region outside the screen and a broken go are reported at their lines', () => {
		const yaml = GOOD.replace('xong: media/b.svg', 'xong: media/khong-co.svg')
			.replace('[20, 560, 320, 60]', '[20, 600, 320, 60]')
			.replace('go: het', 'go: het-roi');
		const { lesson, problems } = load(block(yaml));
		expect(lesson.practices).toEqual([]);
		expect(problems).toContain('15: Không tìm thấy tệp "media/khong-co.svg" (đã tìm ' + problems.find((p) => p.startsWith('15:'))!.split('(đã tìm ')[1]);
		expect(problems).toContain('26: Bước "doc": vùng chạm "Xóa tin nhắn" [20, 600, 320, 60] ra ngoài màn hình "tin" (viewBox 0 0 360 640).');
		expect(problems).toContain('29: Bước "nhap": ô nhập dẫn tới bước "het-roi" không có.');
		expect(problems).toContain('29: Từ bước "nhap" không có đường nào tới một bước kết thúc (`end: true`).');
		expect(problems).toContain('18: Từ bước "doc" không có đường nào tới một bước kết thúc (`end: true`).');
		expect(problems).toContain('37: Bước "het" không đi tới được từ bước bắt đầu "doc".');
	});

	test('a step with no way to an end, an unknown screen and a target without go or wrong', () => {
		const yaml = GOOD.replace('    end: true\n', '    targets:\n      - label: Lại\n        region: [0, 0, 10, 10]\n        go: het\n').replace('screen: xong', 'screen: khac').replace('        wrong: Liên kết lạ có thể lấy mất tiền.\n', '');
		const { problems } = load(block(yaml));
		expect(problems).toContain('23: Bước "doc": vùng chạm "Mở liên kết" cần đúng một trong hai: `go: <bước tiếp>` (chạm đúng) hoặc `wrong: <lời nhắc>` (chạm sai).');
		expect(problems).toContain('36: Bước "het" dùng màn hình "khac" chưa khai báo trong `screens`.');
		expect(problems).toContain('36: Từ bước "het" không có đường nào tới một bước kết thúc (`end: true`).');
	});

	test('duplicate step ids and YAML mistakes are errors with the file line', () => {
		const dup = load(block(GOOD.replace('  het:\n', '  doc:\n')));
		expect(dup.problems.some((p) => /^37: Khối practice sai cú pháp YAML: Map keys must be unique/.test(p))).toBe(true);
		const bad = load(block('id: x\ntitle: [không đóng\n'));
		expect(bad.problems[0]).toMatch(/^1[12]: Khối practice sai cú pháp YAML/);
		expect(bad.lesson.practices).toEqual([]);
	});

	test('a missing id, start or steps is named', () => {
		const { problems } = load(block('title: Thử\nscreens:\n  a: media/a.png\n'));
		expect(problems).toEqual([
			'11: Khối practice thiếu `id` (một dòng chữ).',
			'11: Khối practice thiếu `start` (một dòng chữ).',
			'13: Màn hình "a" phải là một tệp .svg trong media/ (ví dụ media/a.svg).',
			'11: Khối practice thiếu `steps` (các bước, mỗi bước có tên riêng).'
		]);
	});
});

describe('text fields and the course rule', () => {
	test('maxlength is read, and refused outside 1-200 at its line', () => {
		const good = load(block(GOOD.replace("      go: het\n", "      maxlength: 6\n      go: het\n")));
		expect(good.problems).toEqual([]);
		expect(good.lesson.practices[0].steps.nhap.input?.maxlength).toBe(6);
		const bad = load(block(GOOD.replace("      go: het\n", "      maxlength: 0\n      go: het\n")));
		expect(bad.problems).toContain('36: Bước "nhap": ô nhập: `maxlength` là số ký tự tối đa, một số nguyên từ 1 đến 200.');
	});

	test('a rule that requires practices in a course without any is an error at the rule line', () => {
		const rule = COURSE.replace('completion: all-lessons-and-quizzes', 'completion: all-lessons-quizzes-and-practices');
		expect(load('Không có thực hành.\n', rule).problems).toEqual([
			'10: `completion: all-lessons-quizzes-and-practices` đòi làm xong các bài thực hành, nhưng chưa bài học nào có khối ```practice.'
		]);
		expect(load(block(GOOD), rule).problems).toEqual([]);
	});
});

describe('playing moves', () => {
	test('a right tap goes on, a wrong one names its feedback, an entry is checked for length and pattern', async () => {
		const { playMove, replayRun } = await import('./play');
		const p = load(block(GOOD.replace("      go: het\n", "      maxlength: 6\n      go: het\n"))).lesson.practices[0];
		expect(playMove(p, { step: 'doc', target: 1 })).toEqual({ right: true, to: 'nhap', end: false, risky: false });
		expect(playMove(p, { step: 'doc', target: 0 })).toEqual({ right: false, message: 'Liên kết lạ có thể lấy mất tiền.' });
		expect(playMove(p, { step: 'doc', target: 2 })).toBeNull();
		expect(playMove(p, { step: 'nhap', target: 0 })).toBeNull();
		expect(playMove(p, { step: 'nhap', value: ' 123456 ' })).toEqual({ right: true, to: 'het', end: true, risky: false });
		expect(playMove(p, { step: 'nhap', value: '1234567' })).toEqual({ right: false, message: 'Ô "Mã" nhận tối đa 6 ký tự, bạn đã gõ 7. Mã gồm đúng 6 chữ số.' });
		expect(playMove(p, { step: 'constructor', target: 0 })).toBeNull();
		expect(replayRun(p, [{ step: 'doc', target: 0 }, { step: 'doc', target: 1 }, { step: 'nhap', value: '1' }, { step: 'nhap', value: '123456' }])).toEqual({
			ok: true,
			steps: { doc: 1, nhap: 1, het: 0 },
			at: 'het',
			completed: true
		});
		expect(replayRun(p, [{ step: 'nhap', value: '123456' }])).toMatchObject({ ok: false });
	});
});

// GOOD with a risky choice on its first step, leading to an explanation that goes back.
const RISKY = GOOD.replace(
	'        go: nhap\n',
	`        go: nhap
      - label: Gọi lại số trong tin
        region: [20, 460, 320, 60]
        go: giai-thich
        risky: true
  giai-thich:
    screen: tin
    say: Gọi lại là tự nối máy với kẻ gian.
    targets:
      - label: Quay lại
        region: [20, 560, 320, 60]
        go: doc
`
);

describe('risky choices and the length of a practice', () => {
	test('a risky choice leads to its explanation and counts as a wrong tap on its step', async () => {
		const { playMove, replayRun } = await import('./play');
		const { lesson, problems } = load(block(RISKY));
		expect(problems).toEqual([]);
		const p = lesson.practices[0];
		expect(p.steps.doc.targets.map((t) => t.risky)).toEqual([false, false, true]);
		expect(playMove(p, { step: 'doc', target: 2 })).toEqual({ right: true, to: 'giai-thich', end: false, risky: true });
		const moves = [
			{ step: 'doc', target: 2 },
			{ step: 'giai-thich', target: 0 },
			{ step: 'doc', target: 0 },
			{ step: 'doc', target: 1 },
			{ step: 'nhap', value: '123456' }
		];
		expect(replayRun(p, moves)).toEqual({ ok: true, steps: { doc: 2, 'giai-thich': 0, nhap: 0, het: 0 }, at: 'het', completed: true });
	});

	test('risky needs go and takes true or false, at its line', () => {
		const onWrong = load(block(GOOD.replace('        wrong: Liên kết lạ có thể lấy mất tiền.\n', '        wrong: Liên kết lạ có thể lấy mất tiền.\n        risky: true\n')));
		expect(onWrong.problems).toEqual([
			'26: Bước "doc": vùng chạm "Mở liên kết" có `risky: true` thì cần `go: <bước giải thích>` (chọn nguy hiểm dẫn tới bước giải thích, và được đếm là chạm sai).'
		]);
		const notBool = load(block(RISKY.replace('risky: true', 'risky: có')));
		expect(notBool.problems).toEqual(['32: Bước "doc": vùng chạm "Gọi lại số trong tin": `risky` chỉ nhận `true` hoặc `false`.']);
	});

	test('"Khoảng N bước" counts the moves of the shortest way to the end, not explanation screens', async () => {
		const { shortestMoves } = await import('./play');
		const { lesson } = load(block(RISKY));
		expect(Object.keys(lesson.practices[0].steps)).toHaveLength(4);
		expect(shortestMoves(lesson.practices[0])).toBe(2);
		expect(lesson.html).toContain('Khoảng 2 bước.');
	});
});

describe('svgViewBox', () => {
	test('reads viewBox, else width and height', () => {
		expect(svgViewBox('<svg viewBox="0 0 360 640">')).toEqual([0, 0, 360, 640]);
		expect(svgViewBox('<svg width="10" height="20px">')).toEqual([0, 0, 10, 20]);
		expect(svgViewBox('<svg>')).toBeNull();
	});
});
