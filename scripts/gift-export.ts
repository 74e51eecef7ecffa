// `npm run gift:export -- <course> [file.gift]`: writes the quiz questions of a course as a .gift file that Moodle
// imports (Question bank > Import > GIFT format), with a category per lesson. <course> is the course folder, its
// name without the number (lam-quen-dien-thoai) or its code (K1).
import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from '../src/lib/server/content/loader';
import { formatProblem } from '../src/lib/server/content/problems';
import { exportCourseGift } from '../src/lib/server/content/gift/bank';

const [arg, outArg] = process.argv.slice(2);
if (!arg) {
	console.log('Cách dùng: npm run gift:export -- <khóa học> [tệp.gift]   (ví dụ: npm run gift:export -- K1)');
	process.exit(1);
}
const asPath = path.resolve(arg);
const parts = asPath.split(path.sep);
const at = parts.lastIndexOf('courses');
const root = fs.existsSync(asPath) && at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : process.env.HOCSO_CONTENT_DIR || 'content';
const content = loadContent(root);
const wanted = arg.replace(/\/+$/, '');
const course = content.courses.find(
	(c) => c.slug === wanted || c.code.toLowerCase() === wanted.toLowerCase() || path.resolve(path.dirname(c.file)) === asPath || path.basename(path.dirname(c.file)) === wanted
);
if (!course) {
	console.log(`Không tìm thấy khóa học "${arg}". Các khóa học có: ${content.courses.map((c) => `${c.code} (${c.slug})`).join(', ') || 'không có'}.`);
	process.exit(1);
}
const courseDir = path.dirname(course.file);
const errors = content.problems.filter((p) => p.severity === 'error' && p.file.startsWith(courseDir + path.sep));
if (errors.length) {
	for (const p of errors) console.log(formatProblem(p));
	console.log(`\nKhóa học có ${errors.length} lỗi: sửa trước khi xuất (câu hỏi có lỗi sẽ bị thiếu).`);
	process.exit(1);
}
const out = outArg || `${course.code}-${course.slug}.gift`;
const bank = exportCourseGift(course);
fs.writeFileSync(out, bank.text);
console.log(`Đã ghi ${bank.questions} câu hỏi của ${bank.lessons} bài (${course.code} ${course.title}) vào ${out}, mỗi bài một nhóm ($CATEGORY).`);
console.log('Trong Moodle: Ngân hàng câu hỏi > Nhập > định dạng GIFT, chọn tệp này.');
