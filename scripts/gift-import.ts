// `npm run gift:import -- <file.gift> <lesson.md>`: appends the questions of a .gift file (a Moodle export, for
// example) to a lesson as a ```gift block and says what changed. Nothing is written when the file or the lesson
// would then have an error.
import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from '../src/lib/server/content/loader';
import { formatProblem } from '../src/lib/server/content/problems';
import { parseOrderedName } from '../src/lib/server/content/slug';
import { appendGiftToLesson } from '../src/lib/server/content/gift/bank';
import type { GiftQuestionType } from '../src/lib/server/content/gift/types';

const TYPE_NAMES: Record<GiftQuestionType, string> = {
	multichoice: 'nhiều lựa chọn',
	truefalse: 'đúng/sai',
	shortanswer: 'trả lời ngắn',
	matching: 'ghép đôi',
	numerical: 'câu hỏi số',
	essay: 'tự luận',
	description: 'đoạn giới thiệu'
};

const [giftFile, lessonFile] = process.argv.slice(2);
if (!giftFile || !lessonFile) {
	console.log('Cách dùng: npm run gift:import -- <tệp.gift> <bài.md>   (ví dụ: npm run gift:import -- ngan-hang.gift content/courses/01-lam-quen-dien-thoai/02-wifi-va-du-lieu.md)');
	process.exit(1);
}
for (const f of [giftFile, lessonFile]) {
	if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
		console.log(`Không tìm thấy tệp "${f}".`);
		process.exit(1);
	}
}
const named = parseOrderedName(path.basename(lessonFile));
const parts = path.resolve(lessonFile).split(path.sep);
const at = parts.lastIndexOf('courses');
if (!named || at < 0 || at !== parts.length - 3) {
	console.log(`"${lessonFile}" không phải tệp bài học (content/courses/NN-khoa-hoc/NN-ten-bai.md).`);
	process.exit(1);
}
const root = parts.slice(0, at).join(path.sep) || path.sep;

const before = loadContent(root).problems.map(formatProblem);
const original = fs.readFileSync(lessonFile, 'utf8');
// The lesson's own gift blocks come first: questions of a later block get ids `<lesson>-N-qM` (see the loader).
const blocks = (original.match(/^\s{0,3}(`{3,}|~{3,})\s*gift\b/gim) ?? []).length;
const result = appendGiftToLesson(original, fs.readFileSync(giftFile, 'utf8'), blocks === 0 ? named.slug : `${named.slug}-${blocks + 1}`);
if (result.problems.some((p) => p.severity === 'error')) {
	for (const p of result.problems) console.log(`${giftFile}:${p.line}: ${p.severity === 'error' ? 'lỗi' : 'cảnh báo'}: ${p.message}`);
	console.log(`\nKhông thêm gì: ${giftFile} có lỗi (xem ở trên).`);
	process.exit(1);
}
fs.writeFileSync(lessonFile, result.text);
const after = loadContent(root).problems;
const seen = new Set(before);
const introduced = after.filter((p) => !seen.has(formatProblem(p)));
if (introduced.some((p) => p.severity === 'error')) {
	fs.writeFileSync(lessonFile, original);
	for (const p of introduced) console.log(formatProblem(p));
	console.log(`\nKhông thêm gì: các câu hỏi mới gây lỗi trong khóa học (xem ở trên); ${lessonFile} giữ nguyên.`);
	process.exit(1);
}
for (const p of introduced) console.log(formatProblem(p));
const counts = new Map<string, number>();
for (const q of result.questions) counts.set(TYPE_NAMES[q.type], (counts.get(TYPE_NAMES[q.type]) ?? 0) + 1);
const summary = [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
console.log(
	`Đã thêm ${result.questions.length} câu hỏi (${summary || 'không có câu nào'}) vào ${lessonFile}, khối \`\`\`gift ở dòng ${result.firstLine}-${result.lastLine}.`
);
const renamed = introduced.filter((p) => p.severity === 'warning').length;
if (renamed) console.log(`${renamed} cảnh báo ở trên (ví dụ tên câu hỏi trùng đã được đánh số): xem lại trước khi xuất bản.`);
