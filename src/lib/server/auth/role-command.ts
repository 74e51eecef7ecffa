// What `npm run user:grant` and `npm run user:revoke` do (scripts/user-role.ts), as functions: the script only reads
// its arguments, opens the database and prints what these return.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { migrateToLatest } from '../db/migrator';
import { findUserByLogin } from './find-user';
import { countRoleHolders, grantRole, isRole, revokeRole, ROLE_LABELS, ROLES, type Role } from './roles';
import { writeAudit } from '../audit';
import { findCurrentUnitByCode } from '../units/search';
import { importSeedUnitsIfEmpty } from '../units/import';

export const ROLE_COMMAND_USAGE = `Cách dùng:
  npm run user:grant -- <số điện thoại hoặc tên đăng nhập> <vai trò> [mã đơn vị]
  npm run user:revoke -- <số điện thoại hoặc tên đăng nhập> <vai trò> [mã đơn vị]
Vai trò: ${ROLES.join(', ')}. admin không kèm mã đơn vị; các vai trò khác cần mã một đơn vị hiện hành.
Ví dụ: npm run user:grant -- 0912345678 admin
       npm run user:grant -- 0912345678 official 21994`;

export interface RoleCommand {
	action: 'grant' | 'revoke';
	login: string;
	role: Role;
	unitCode?: string;
}

/** What the command prints (lines) and its exit code. */
export interface CommandResult {
	code: 0 | 1;
	stdout: string[];
	stderr: string[];
}

/** The command's arguments (`grant|revoke <login> <role> [unit code]`), or the message to stop with. */
export function parseRoleCommand(args: string[]): RoleCommand | { error: string } {
	const [action, login, role, unitCode] = args;
	if ((action !== 'grant' && action !== 'revoke') || !login?.trim() || !role) return { error: ROLE_COMMAND_USAGE };
	if (!isRole(role)) return { error: `Không có vai trò "${role}". Các vai trò: ${ROLES.join(', ')}.` };
	if (role === 'admin' && unitCode) return { error: 'Vai trò admin áp dụng cho toàn hệ thống, không kèm mã đơn vị.\n' + ROLE_COMMAND_USAGE };
	if (role !== 'admin' && !unitCode?.trim()) return { error: `Vai trò ${role} cần mã đơn vị, ví dụ: npm run user:${action} -- ${login.trim()} ${role} 21994` };
	return { action, login, role, unitCode };
}

/** The message when the app holds the embedded database the command wants (DataDirLockedError's message given). */
export function dataDirInUseMessage(dataDir: string, lockMessage: string): string {
	// The lock error advises another data directory, which is no help here: say what to do instead.
	const owner = /PID (\d+)/.exec(lockMessage)?.[1];
	return (
		`Thư mục dữ liệu ${path.resolve(dataDir)} đang được một tiến trình Học Số khác dùng${owner ? ` (PID ${owner})` : ''}, ` +
		'thường là chính ứng dụng đang chạy. Cơ sở dữ liệu nhúng (PGlite) chỉ cho một tiến trình dùng, nên lệnh này ' +
		'không chạy được khi ứng dụng đang chạy trên cùng thư mục dữ liệu. Hãy dừng ứng dụng (Ctrl+C), chạy lại lệnh, ' +
		'rồi khởi động lại ứng dụng.'
	);
}

/** Runs the command's arguments on an open database: grants or revokes the role, audited as done from the command line. */
export async function runRoleCommand(db: Kysely<Database>, args: string[]): Promise<CommandResult> {
	const parsed = parseRoleCommand(args);
	if ('error' in parsed) return { code: 1, stdout: [], stderr: [parsed.error] };
	const { action, login, role, unitCode } = parsed;
	try {
		// The app migrates when it opens the database; so does this command, so it works on a database never served yet.
		await migrateToLatest(db);
		// A unit code needs the units, which the app loads at its first start: load them here too if it never ran.
		await importSeedUnitsIfEmpty(db);
		const user = await findUserByLogin(db, login);
		const unit = unitCode ? await findCurrentUnitByCode(db, unitCode.trim()) : null;
		if (!user) {
			return {
				code: 1,
				stdout: [],
				stderr: [
					`Không tìm thấy tài khoản có số điện thoại hoặc tên đăng nhập "${login.trim()}". ` +
						'Người này cần đăng ký tài khoản trước; hãy kiểm tra lại số hoặc tên đăng nhập.'
				]
			};
		}
		if (unitCode && !unit) {
			return { code: 1, stdout: [], stderr: [`Không có đơn vị hiện hành nào mã "${unitCode.trim()}". Hãy kiểm tra lại mã (mã xã, phường hoặc tỉnh theo danh mục hiện hành).`] };
		}
		const who = `${user.fullName ?? '(không có tên)'} (${[user.phone, user.username].filter(Boolean).join(', ')})`;
		const roleName = ROLE_LABELS[role] + (unit ? ` của ${unit.label}` : '');
		const unitId = unit?.id ?? null;
		const change = action === 'grant' ? grantRole : revokeRole;
		const changed = await db.transaction().execute(async (trx) => {
			const done = await change(trx, user.id, role, unitId);
			if (done) await writeAudit(trx, { actorUserId: null, action: `role.${action}`, unitId, targetUserId: user.id, details: { role, via: 'cli' } });
			return done;
		});
		const stdout: string[] = [];
		if (action === 'grant') {
			stdout.push(
				changed
					? `Đã cấp vai trò ${roleName} cho ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`
					: `${who} đã có vai trò ${roleName} từ trước: không thay đổi gì.`
			);
		} else if (changed) {
			stdout.push(`Đã thu hồi vai trò ${roleName} của ${who}. Có hiệu lực từ lần tải trang tiếp theo của người đó.`);
			if ((await countRoleHolders(db, role)) === 0) stdout.push(`Lưu ý: hiện không còn ai có vai trò ${ROLE_LABELS[role]}.`);
		} else {
			stdout.push(`${who} không có vai trò ${roleName}: không thay đổi gì.`);
		}
		return { code: 0, stdout, stderr: [] };
	} catch (e) {
		return { code: 1, stdout: [], stderr: [(e as Error).message] };
	}
}
