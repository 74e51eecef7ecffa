// `npm run content:publish [content-folder]`: checks the courses and asks every running app process that serves
// them to publish them now (SIGHUP), then reports what each one published. Nothing is published when the check
// finds an error: the running app keeps serving the version it has.
import path from 'node:path';
import { loadContent } from '../src/lib/server/content/loader';
import { formatProblem } from '../src/lib/server/content/problems';
import { listRunningApps, runDir } from '../src/lib/server/content/app-registry';

const root = process.argv[2] || process.env.HOCSO_CONTENT_DIR || 'content';
const content = loadContent(root);
for (const p of content.problems) console.log(formatProblem(p));
const errors = content.problems.filter((p) => p.severity === 'error').length;
if (errors) {
	console.log(`\nChưa xuất bản: nội dung có ${errors} lỗi (xem ở trên). Ứng dụng đang chạy vẫn phục vụ bản đã xuất bản trước đó.`);
	process.exit(1);
}
const lessons = content.courses.reduce((n, c) => n + c.lessons.length, 0);
console.log(`Nội dung hợp lệ: ${content.courses.length} khóa học, ${lessons} bài.`);

const dir = runDir();
const apps = listRunningApps(dir).filter((a) => a.contentDir === path.resolve(root));
if (apps.length === 0) {
	console.log(`Không có ứng dụng Học Số nào đang chạy với thư mục ${root} (tìm trong ${dir}); nội dung sẽ được xuất bản khi ứng dụng khởi động.`);
	process.exit(0);
}

let failed = 0;
for (const app of apps) {
	const asked = Date.now();
	process.kill(app.pid, 'SIGHUP');
	const deadline = asked + 60_000;
	let done = false;
	while (Date.now() < deadline && !done) {
		await new Promise((r) => setTimeout(r, 200));
		const now = listRunningApps(dir).find((a) => a.pid === app.pid);
		if (!now) break;
		if (now.status.checkedAt && Date.parse(String(now.status.checkedAt)) >= asked - 1000) {
			done = true;
			if (now.status.stale) {
				failed++;
				console.log(`Tiến trình ${app.pid}: không xuất bản, nội dung có ${now.status.errorCount} lỗi.`);
			} else console.log(`Tiến trình ${app.pid}: đã xuất bản lúc ${new Date(String(now.status.publishedAt)).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}.`);
		}
	}
	if (!done) {
		failed++;
		console.log(`Tiến trình ${app.pid}: không trả lời trong 60 giây; xem nhật ký của ứng dụng.`);
	}
}
process.exit(failed ? 1 : 0);
