// `npm run guests:cleanup`: removes guests (visitors who never registered) idle for 30 days, with their attempts
// and progress, on DATABASE_URL or the PGlite database in HOCSO_DATA_DIR. The app also does this by itself every
// 6 hours; this command is for a scheduler (cron) or by hand.
import path from 'node:path';
import { connectDatabase, type DbHandle } from '../src/lib/server/db/connect';
import { DataDirLockedError } from '../src/lib/server/db/data-dir-lock';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { GUEST_IDLE_DAYS, removeIdleGuests } from '../src/lib/server/auth/guests';

const url = process.env.DATABASE_URL || undefined;
const dataDir = process.env.HOCSO_DATA_DIR || 'data';
let h: DbHandle;
try {
	h = await connectDatabase({ url, dataDir });
} catch (e) {
	if (e instanceof DataDirLockedError) {
		console.error(
			`Thư mục dữ liệu ${path.resolve(dataDir)} đang được ứng dụng Học Số dùng. Cơ sở dữ liệu nhúng chỉ cho một tiến trình ` +
				'dùng; ứng dụng đang chạy tự dọn khách vãng lai mỗi 6 giờ, nên không cần chạy lệnh này lúc ứng dụng đang chạy.'
		);
		process.exit(1);
	}
	console.error(`Không mở được cơ sở dữ liệu: ${(e as Error).message}`);
	process.exit(1);
}
try {
	await migrateToLatest(h.db);
	const n = await removeIdleGuests(h.db);
	console.log(`Đã xóa ${n} khách vãng lai không hoạt động quá ${GUEST_IDLE_DAYS} ngày (cùng các lần làm bài và tiến độ của họ).`);
} finally {
	await h.close();
}
