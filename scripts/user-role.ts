// `npm run user:grant -- <phone-or-username> <role>` and `npm run user:revoke -- <phone-or-username> <role>`:
// gives or takes a role (today: admin) on DATABASE_URL, or on the PGlite database in HOCSO_DATA_DIR.
import path from 'node:path';
import { connectDatabase, type DbHandle } from '../src/lib/server/db/connect';
import { DataDirLockedError } from '../src/lib/server/db/data-dir-lock';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { findUserByLogin } from '../src/lib/server/auth/find-user';
import { countRoleHolders, grantRole, isRole, revokeRole, ROLES } from '../src/lib/server/auth/roles';

const ROLE_NAMES: Record<string, string> = { admin: 'quản trị viên' };

const USAGE = `Cách dùng:
  npm run user:grant -- <số điện thoại hoặc tên đăng nhập> <vai trò>
  npm run user:revoke -- <số điện thoại hoặc tên đăng nhập> <vai trò>
Vai trò: ${ROLES.join(', ')}. Ví dụ: npm run user:grant -- 0912345678 admin`;

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const [action, login, role] = process.argv.slice(2);
if ((action !== 'grant' && action !== 'revoke') || !login?.trim() || !role) stop(USAGE);
if (!isRole(role)) stop(`Không có vai trò "${role}". Các vai trò: ${ROLES.join(', ')}.`);

const url = process.env.DATABASE_URL || undefined;
const dataDir = process.env.HOCSO_DATA_DIR || 'data';
let h: DbHandle;
try {
	h = await connectDatabase({ url, dataDir });
} catch (e) {
	if (e instanceof DataDirLockedError) {
		// The message of the error advises another data directory, which is no help here: say what to do instead.
		const owner = /PID (\d+)/.exec(e.message)?.[1];
		stop(
			`Thư mục dữ liệu ${path.resolve(dataDir)} đang được một tiến trình Học Số khác dùng${owner ? ` (PID ${owner})` : ''}, ` +
				'thường là chính ứng dụng đang chạy. Cơ sở dữ liệu nhúng (PGlite) chỉ cho một tiến trình dùng, nên lệnh này ' +
				'không chạy được khi ứng dụng đang chạy trên cùng thư mục dữ liệu. Hãy dừng ứng dụng (Ctrl+C), chạy lại lệnh, ' +
				'rồi khởi động lại ứng dụng.'
		);
	}
	stop(`Không mở được cơ sở dữ liệu: ${(e as Error).message}`);
}

try {
	// The app migrates when it opens the database; so does this command, so it works on a database never served yet.
	await migrateToLatest(h.db);
	const user = await findUserByLogin(h.db, login);
	if (!user) {
		console.error(
			`Không tìm thấy tài khoản có số điện thoại hoặc tên đăng nhập "${login.trim()}". ` +
				'Người này cần đăng ký tài khoản trước; hãy kiểm tra lại số hoặc tên đăng nhập.'
		);
		process.exitCode = 1;
	} else {
		const who = `${user.fullName ?? '(không có tên)'} (${[user.phone, user.username].filter(Boolean).join(', ')})`;
		const roleName = ROLE_NAMES[role] ?? role;
		if (action === 'grant') {
			if (await grantRole(h.db, user.id, role)) {
				console.log(`Đã cấp vai trò ${roleName} cho ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`);
			} else {
				console.log(`${who} đã có vai trò ${roleName} từ trước: không thay đổi gì.`);
			}
		} else if (await revokeRole(h.db, user.id, role)) {
			console.log(`Đã thu hồi vai trò ${roleName} của ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`);
			if ((await countRoleHolders(h.db, role)) === 0) console.log(`Lưu ý: hiện không còn ai có vai trò ${roleName}.`);
		} else {
			console.log(`${who} không có vai trò ${roleName}: không thay đổi gì.`);
		}
	}
} catch (e) {
	console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	await h.close();
}
