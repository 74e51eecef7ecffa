import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { giftExportCommand, giftImportCommand } from '../commands';
import { loadContent } from '../loader';

// Each test works on a copy of the fixture courses of its own.
let root = '';
let course = '';
let lesson = '';
beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bank-'));
	fs.cpSync('tests/fixtures/content', root, { recursive: true });
	course = path.join(root, 'courses', '01-khoa-kiem-thu');
	lesson = path.join(course, '01-bai-doc.md');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const text = (r: { lines: string[] }) => r.lines.join('\n');

describe('npm run gift:export / gift:import', () => {
	test('export writes the course as a .gift file with a category per lesson that has questions', () => {
		const out = path.join(root, 'k97.gift');
		const r = giftExportCommand([course, out], 'content');
		expect(r.code, text(r)).toBe(0);
		const c = loadContent(root).courses.find((x) => x.code === 'K97')!;
		const total = c.lessons.reduce((n, l) => n + l.questions.length, 0);
		const withQuestions = c.lessons.filter((l) => l.questions.length).length;
		expect(text(r)).toContain(`Đã ghi ${total} câu hỏi của ${withQuestions} bài (K97 Khóa kiểm thử học tập) vào ${out}`);
		const gift = fs.readFileSync(out, 'utf8');
		expect(gift.match(/^\$CATEGORY: \$course\$\/top\/K97 Khóa kiểm thử học tập\/\d\d .+$/gm)).toHaveLength(withQuestions);
	});

	test('export names a course that does not exist', () => {
		const r = giftExportCommand(['K404'], root);
		expect(r.code).toBe(1);
		expect(text(r)).toContain('Không tìm thấy khóa học "K404". Các khóa học có: K97 (khoa-kiem-thu)');
	});

	test('import appends a gift block to the lesson and says what it added', () => {
		const gift = path.join(root, 'moodle.gift');
		fs.writeFileSync(gift, '// Moodle\r\n$CATEGORY: $course$/top/Mặc định\r\n\r\n::Câu 1:: Wi-Fi? {=Có ~Không}\r\n\r\n::Câu 1:: Lặp tên? {T}\r\n\r\n::so:: Bao nhiêu? {#5000000}\r\n');
		const before = fs.readFileSync(lesson, 'utf8');
		const r = giftImportCommand([gift, lesson]);
		expect(r.code, text(r)).toBe(0);
		expect(text(r)).toMatch(/Đã thêm 3 câu hỏi \(1 nhiều lựa chọn, 1 đúng\/sai, 1 câu hỏi số\) vào .*01-bai-doc\.md, khối ```gift ở dòng \d+-\d+\./);
		expect(text(r)).toMatch(/01-bai-doc\.md:\d+: cảnh báo: Tên câu hỏi "Câu 1" trùng/);
		const after = fs.readFileSync(lesson, 'utf8');
		expect(after.startsWith(before.trimEnd())).toBe(true);
		const l = loadContent(root).courses.find((x) => x.code === 'K97')!.lessons.find((x) => x.slug === 'bai-doc')!;
		expect(l.questions.map((q) => q.id)).toEqual(['cau-1', 'cau-1-2', 'so']);
	});

	test('import refuses a bank that would clash with another lesson of the course, and leaves the lesson as it was', () => {
		const existing = loadContent(root).courses.find((x) => x.code === 'K97')!.lessons.find((x) => x.slug === 'bai-kiem-tra')!.questions[0];
		const gift = path.join(root, 'clash.gift');
		fs.writeFileSync(gift, `::${existing.name ?? existing.id}:: Trùng bài khác? {T}\n`);
		const before = fs.readFileSync(lesson, 'utf8');
		const r = giftImportCommand([gift, lesson]);
		expect(r.code).toBe(1);
		expect(text(r)).toContain(`Trùng mã câu hỏi "${existing.id}"`);
		expect(text(r)).toContain('giữ nguyên');
		expect(fs.readFileSync(lesson, 'utf8')).toBe(before);
	});

	test('import refuses a .gift file with errors, at its own lines', () => {
		const gift = path.join(root, 'bad.gift');
		fs.writeFileSync(gift, '::a:: Một {T}\n\n::b:: Hai {=A ~B\n');
		const r = giftImportCommand([gift, lesson]);
		expect(r.code).toBe(1);
		expect(text(r)).toContain(`${gift}:3: lỗi: Khối đáp án mở bằng {`);
	});

	test('import names a file that does not exist, and a file that is not a lesson', () => {
		expect(giftImportCommand([path.join(root, 'none.gift'), lesson])).toEqual({ code: 1, lines: [`Không tìm thấy tệp "${path.join(root, 'none.gift')}".`] });
		const gift = path.join(root, 'moodle.gift');
		fs.writeFileSync(gift, '::a:: Một {T}\n');
		const r = giftImportCommand([gift, gift]);
		expect(r.code).toBe(1);
		expect(text(r)).toContain('không phải tệp bài học');
	});

	// The scripts only print what the functions return: one run of each as a trainer types it.
	test('the commands themselves print the same and exit with its code', { timeout: 60_000 }, () => {
		const run = (script: string, ...args: string[]) => spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', `scripts/${script}.ts`, ...args], { encoding: 'utf8' });
		const out = path.join(root, 'k97-cli.gift');
		const exported = run('gift-export', course, out);
		expect(exported.status, exported.stderr).toBe(0);
		expect(exported.stdout).toBe(`${giftExportCommand([course, path.join(root, 'k97-again.gift')], 'content').lines.join('\n').replace('k97-again', 'k97-cli')}\n`);
		expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(root, 'k97-again.gift'), 'utf8'));
		fs.writeFileSync(path.join(root, 'bad.gift'), '::a:: Một {T}\n\n::b:: Hai {=A ~B\n');
		const refused = run('gift-import', path.join(root, 'bad.gift'), lesson);
		expect(refused.status).toBe(1);
		expect(refused.stdout).toContain(`${path.join(root, 'bad.gift')}:3: lỗi: Khối đáp án mở bằng {`);
	});
});
