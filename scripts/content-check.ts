// `npm run content:check [path]`: checks every course (or the courses/files under `path`) and prints each
// problem as `file:line: message`. Exits 1 when there is an error.
import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from '../src/lib/server/content/loader';
import { formatProblem } from '../src/lib/server/content/problems';

// The argument is either a content root (a folder holding courses/) or a course folder or file inside one.
const arg = process.argv[2];
if (arg && !fs.existsSync(arg)) {
	console.log(`Không tìm thấy "${arg}": hãy ghi đường dẫn tới thư mục nội dung, một thư mục khóa học hoặc một tệp bài học (ví dụ content/courses/01-lam-quen-dien-thoai).`);
	process.exit(1);
}
const isRoot = arg && fs.existsSync(path.join(arg, 'courses'));
/** The content root holding a course folder or file: the parent of its `courses` folder. */
function rootOf(p: string): string | null {
	const parts = path.resolve(p).split(path.sep);
	const i = parts.lastIndexOf('courses');
	return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : null;
}
const root = isRoot ? arg : arg ? rootOf(arg) : process.env.HOCSO_CONTENT_DIR || 'content';
if (!root) {
	console.log(`"${arg}" không nằm trong thư mục courses/ của nội dung: hãy ghi thư mục nội dung, một thư mục khóa học hoặc một tệp bài học.`);
	process.exit(1);
}
const content = loadContent(root);
const filter = arg && !isRoot ? path.relative(process.cwd(), path.resolve(arg)) : '';
const problems = content.problems
	.filter((p) => !filter || p.file === filter || p.file.startsWith(filter + path.sep) || filter.startsWith(p.file + path.sep))
	.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

for (const p of problems) console.log(formatProblem(p));
const errors = problems.filter((p) => p.severity === 'error').length;
const warnings = problems.length - errors;
const courses = content.courses.filter((c) => !filter || c.file.startsWith(filter) || filter.startsWith(path.dirname(c.file)));
const lessons = courses.reduce((n, c) => n + c.lessons.length, 0);
const questions = courses.reduce((n, c) => n + c.lessons.reduce((m, l) => m + l.questions.length, 0), 0);
console.log(`\n${courses.length} khóa học, ${lessons} bài, ${questions} câu hỏi: ${errors} lỗi, ${warnings} cảnh báo.`);
process.exitCode = errors ? 1 : 0;
