// `npm run user:grant -- <phone-or-username> <role> [unit code]` and `npm run user:revoke -- ...`: gives or takes a
// role on DATABASE_URL, or on the PGlite database in HOCSO_DATA_DIR. admin takes no unit; official, trainer and
// team_member take the code of a current unit (a code names one current unit; older units reuse codes).
import path from 'node:path';
import { connectDatabase, type DbHandle } from '../src/lib/server/db/connect';
import { DataDirLockedError } from '../src/lib/server/db/data-dir-lock';
import { migrateToLatest } from '../src/lib/server/db/migrator';
import { findUserByLogin } from '../src/lib/server/auth/find-user';
import { countRoleHolders, grantRole, isRole, revokeRole, ROLE_LABELS, ROLES } from '../src/lib/server/auth/roles';
import { writeAudit } from '../src/lib/server/audit';
import { findCurrentUnitByCode } from '../src/lib/server/units/search';
import { importSeedUnitsIfEmpty } from '../src/lib/server/units/import';

const USAGE = `Cách dùng:
  npm run user:grant -- <số điện thoại hoặc tên đăng nhập> <vai trò> [mã đơn vị]
  npm run user:revoke -- <số điện thoại hoặc tên đăng nhập> <vai trò> [mã đơn vị]
Vai trò: ${ROLES.join(', ')}. admin không kèm mã đơn vị; các vai trò khác cần mã một đơn vị hiện hành.
Ví dụ: npm run user:grant -- 0912345678 admin
       npm run user:grant -- 0912345678 official 21994`;

function stop(message: string): never {
	console.error(message);
	process.exit(1);
}

const [action, login, role, unitCode] = process.argv.slice(2);
if ((action !== 'grant' && action !== 'revoke') || !login?.trim() || !role) stop(USAGE);
if (!isRole(role)) stop(`Không có vai trò "${role}". Các vai trò: ${ROLES.join(', ')}.`);
if (role === 'admin' && unitCode) stop('Vai trò admin áp dụng cho toàn hệ thống, không kèm mã đơn vị.\n' + USAGE);
if (role !== 'admin' && !unitCode?.trim()) stop(`Vai trò ${role} cần mã đơn vị, ví dụ: npm run user:${action} -- ${login.trim()} ${role} 21994`);

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
	// A unit code needs the units, which the app loads at its first start: load them here too if it never ran.
	await importSeedUnitsIfEmpty(h.db);
	const user = await findUserByLogin(h.db, login);
	const unit = unitCode ? await findCurrentUnitByCode(h.db, unitCode.trim()) : null;
	if (!user) {
		console.error(
			`Không tìm thấy tài khoản có số điện thoại hoặc tên đăng nhập "${login.trim()}". ` +
				'Người này cần đăng ký tài khoản trước; hãy kiểm tra lại số hoặc tên đăng nhập.'
		);
		process.exitCode = 1;
	} else if (unitCode && !unit) {
		console.error(`Không có đơn vị hiện hành nào mã "${unitCode.trim()}". Hãy kiểm tra lại mã (mã xã, phường hoặc tỉnh theo danh mục hiện hành).`);
		process.exitCode = 1;
	} else {
		const who = `${user.fullName ?? '(không có tên)'} (${[user.phone, user.username].filter(Boolean).join(', ')})`;
		const roleName = ROLE_LABELS[role] + (unit ? ` của ${unit.label}` : '');
		const unitId = unit?.id ?? null;
		const change = action === 'grant' ? grantRole : revokeRole;
		const changed = await h.db.transaction().execute(async (trx) => {
			const done = await change(trx, user.id, role, unitId);
			if (done) await writeAudit(trx, { actorUserId: null, action: `role.${action}`, unitId, targetUserId: user.id, details: { role, via: 'cli' } });
			return done;
		});
		if (action === 'grant') {
			console.log(
				changed
					? `Đã cấp vai trò ${roleName} cho ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`
					: `${who} đã có vai trò ${roleName} từ trước: không thay đổi gì.`
			);
		} else if (changed) {
			console.log(`Đã thu hồi vai trò ${roleName} của ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`);
			if ((await countRoleHolders(h.db, role)) === 0) console.log(`Lưu ý: hiện không còn ai có vai trò ${ROLE_LABELS[role]}.`);
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
