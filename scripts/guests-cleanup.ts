// `npm run guests:cleanup`: removes guests (visitors who never registered) idle for 30 days, with their attempts
// and progress, on DATABASE_URL or the PGlite database in HOCSO_DATA_DIR. The app also does this by itself every
// 6 hours; this command is for a scheduler (cron) or by hand.
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { GUEST_IDLE_DAYS, removeIdleGuests } from '../src/lib/server/auth/guests';
import { openDatabaseForCommand } from './cli-db';

const h = await openDatabaseForCommand('npm run guests:cleanup');
try {
	await migrateToLatest(h.db);
	const n = await removeIdleGuests(h.db);
	console.log(`Đã xóa ${n} khách vãng lai không hoạt động quá ${GUEST_IDLE_DAYS} ngày (cùng các lần làm bài và tiến độ của họ).`);
} finally {
	await h.close();
}
