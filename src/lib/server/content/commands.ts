// What `npm run content:check`, `npm run gift:export` and `npm run gift:import` do (scripts/content-check.ts,
// gift-export.ts, gift-import.ts), as functions of their arguments: each returns its exit code and the lines to
// print (all on standard output, as the trainers read them in one terminal). The scripts only print them.
import fs from 'node:fs';
import path from 'node:path';
import { exportCourseGift, appendGiftToLesson } from './gift/bank';
import type { GiftQuestionType } from './gift/types';
import { loadContent } from './loader';
import { formatProblem } from './problems';
import { parseOrderedName } from './slug';

export interface ContentCommandResult {
	code: 0 | 1;
	lines: string[];
}

const fail = (...lines: string[]): ContentCommandResult => ({ code: 1, lines });

/** The content root holding a course folder or file: the parent of its `courses` folder, or null. */
function rootOf(p: string): string | null {
	const parts = path.resolve(p).split(path.sep);
	const i = parts.lastIndexOf('courses');
	return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : null;
}

/**
 * `content:check [path]`: every problem of the courses (or of those under `path`: a content root, a course folder
 * or a lesson file) as `file:line: message`, then the totals; code 1 when there is an error.
 */
export function contentCheckCommand(args: string[], defaultRoot: string): ContentCommandResult {
	const arg = args[0];
	if (arg && !fs.existsSync(arg)) {
		return fail(`Không tìm thấy "${arg}": hãy ghi đường dẫn tới thư mục nội dung, một thư mục khóa học hoặc một tệp bài học (ví dụ content/courses/01-lam-quen-dien-thoai).`);
	}
	const isRoot = arg && fs.existsSync(path.join(arg, 'courses'));
	const root = isRoot ? arg : arg ? rootOf(arg) : defaultRoot;
	if (!root) {
		return fail(`"${arg}" không nằm trong thư mục courses/ của nội dung: hãy ghi thư mục nội dung, một thư mục khóa học hoặc một tệp bài học.`);
	}
	const content = loadContent(root);
	const filter = arg && !isRoot ? path.relative(process.cwd(), path.resolve(arg)) : '';
	const problems = content.problems
		.filter((p) => !filter || p.file === filter || p.file.startsWith(filter + path.sep) || filter.startsWith(p.file + path.sep))
		.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
	const lines = problems.map(formatProblem);
	const errors = problems.filter((p) => p.severity === 'error').length;
	const warnings = problems.length - errors;
	const courses = content.courses.filter((c) => !filter || c.file.startsWith(filter) || filter.startsWith(path.dirname(c.file)));
	const lessons = courses.reduce((n, c) => n + c.lessons.length, 0);
	const questions = courses.reduce((n, c) => n + c.lessons.reduce((m, l) => m + l.questions.length, 0), 0);
	lines.push(`\n${courses.length} khóa học, ${lessons} bài, ${questions} câu hỏi: ${errors} lỗi, ${warnings} cảnh báo.`);
	return { code: errors ? 1 : 0, lines };
}

/**
 * `gift:export <course> [file.gift]`: writes a course's quiz questions as a .gift file that Moodle imports, a category
 * per lesson. <course> is the course folder, its name without the number (lam-quen-dien-thoai) or its code (K1).
 */
export function giftExportCommand(args: string[], defaultRoot: string): ContentCommandResult {
	const [arg, outArg] = args;
	if (!arg) return fail('Cách dùng: npm run gift:export -- <khóa học> [tệp.gift]   (ví dụ: npm run gift:export -- K1)');
	const asPath = path.resolve(arg);
	const root = (fs.existsSync(asPath) && rootOf(asPath)) || defaultRoot;
	const content = loadContent(root);
	const wanted = arg.replace(/\/+$/, '');
	const course = content.courses.find(
		(c) => c.slug === wanted || c.code.toLowerCase() === wanted.toLowerCase() || path.resolve(path.dirname(c.file)) === asPath || path.basename(path.dirname(c.file)) === wanted
	);
	if (!course) {
		return fail(`Không tìm thấy khóa học "${arg}". Các khóa học có: ${content.courses.map((c) => `${c.code} (${c.slug})`).join(', ') || 'không có'}.`);
	}
	const courseDir = path.dirname(course.file);
	const errors = content.problems.filter((p) => p.severity === 'error' && p.file.startsWith(courseDir + path.sep));
	if (errors.length) return fail(...errors.map(formatProblem), `\nKhóa học có ${errors.length} lỗi: sửa trước khi xuất (câu hỏi có lỗi sẽ bị thiếu).`);
	const out = outArg || `${course.code}-${course.slug}.gift`;
	const bank = exportCourseGift(course);
	fs.writeFileSync(out, bank.text);
	return {
		code: 0,
		lines: [
			`Đã ghi ${bank.questions} câu hỏi của ${bank.lessons} bài (${course.code} ${course.title}) vào ${out}, mỗi bài một nhóm ($CATEGORY).`,
			'Trong Moodle: Ngân hàng câu hỏi > Nhập > định dạng GIFT, chọn tệp này.'
		]
	};
}

const TYPE_NAMES: Record<GiftQuestionType, string> = {
	multichoice: 'nhiều lựa chọn',
	truefalse: 'đúng/sai',
	shortanswer: 'trả lời ngắn',
	matching: 'ghép đôi',
	numerical: 'câu hỏi số',
	essay: 'tự luận',
	description: 'đoạn giới thiệu'
};

/**
 * `gift:import <file.gift> <lesson.md>`: appends the questions of a .gift file (a Moodle export, for example) to a
 * lesson as a ```gift block and says what changed. Nothing is written when the file or the lesson would then have an
 * error.
 */
export function giftImportCommand(args: string[]): ContentCommandResult {
	const [giftFile, lessonFile] = args;
	if (!giftFile || !lessonFile) {
		return fail(
			'Cách dùng: npm run gift:import -- <tệp.gift> <bài.md>   (ví dụ: npm run gift:import -- ngan-hang.gift content/courses/01-lam-quen-dien-thoai/02-wifi-va-du-lieu.md)'
		);
	}
	for (const f of [giftFile, lessonFile]) if (!fs.existsSync(f) || !fs.statSync(f).isFile()) return fail(`Không tìm thấy tệp "${f}".`);
	const named = parseOrderedName(path.basename(lessonFile));
	const parts = path.resolve(lessonFile).split(path.sep);
	const at = parts.lastIndexOf('courses');
	if (!named || at < 0 || at !== parts.length - 3) return fail(`"${lessonFile}" không phải tệp bài học (content/courses/NN-khoa-hoc/NN-ten-bai.md).`);
	const root = parts.slice(0, at).join(path.sep) || path.sep;

	const before = loadContent(root).problems.map(formatProblem);
	const original = fs.readFileSync(lessonFile, 'utf8');
	// The lesson's own gift blocks come first: questions of a later block get ids `<lesson>-N-qM` (see the loader).
	const blocks = (original.match(/^\s{0,3}(`{3,}|~{3,})\s*gift\b/gim) ?? []).length;
	const result = appendGiftToLesson(original, fs.readFileSync(giftFile, 'utf8'), blocks === 0 ? named.slug : `${named.slug}-${blocks + 1}`);
	if (result.problems.some((p) => p.severity === 'error')) {
		return fail(
			...result.problems.map((p) => `${giftFile}:${p.line}: ${p.severity === 'error' ? 'lỗi' : 'cảnh báo'}: ${p.message}`),
			`\nKhông thêm gì: ${giftFile} có lỗi (xem ở trên).`
		);
	}
	fs.writeFileSync(lessonFile, result.text);
	const seen = new Set(before);
	const introduced = loadContent(root).problems.filter((p) => !seen.has(formatProblem(p)));
	if (introduced.some((p) => p.severity === 'error')) {
		fs.writeFileSync(lessonFile, original);
		return fail(...introduced.map(formatProblem), `\nKhông thêm gì: các câu hỏi mới gây lỗi trong khóa học (xem ở trên); ${lessonFile} giữ nguyên.`);
	}
	const lines = introduced.map(formatProblem);
	const counts = new Map<string, number>();
	for (const q of result.questions) counts.set(TYPE_NAMES[q.type], (counts.get(TYPE_NAMES[q.type]) ?? 0) + 1);
	const summary = [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
	lines.push(`Đã thêm ${result.questions.length} câu hỏi (${summary || 'không có câu nào'}) vào ${lessonFile}, khối \`\`\`gift ở dòng ${result.firstLine}-${result.lastLine}.`);
	const renamed = introduced.filter((p) => p.severity === 'warning').length;
	if (renamed) lines.push(`${renamed} cảnh báo ở trên (ví dụ tên câu hỏi trùng đã được đánh số): xem lại trước khi xuất bản.`);
	return { code: 0, lines };
}
