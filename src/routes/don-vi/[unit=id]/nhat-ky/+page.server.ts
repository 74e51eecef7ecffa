import type { PageServerLoad } from './$types';
import { isRole, ROLE_LABELS } from '$lib/server/auth/roles';
import { listUnitAudit, type AuditView } from '$lib/server/units/unit-roles';
import { openUnitPage } from '../unit.server';

export const csr = false;

const dateTime = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });

const ACTIONS: Record<string, string> = {
	'role.grant': 'Cấp vai trò',
	'role.revoke': 'Thu hồi vai trò',
	'record.revoke': 'Thu hồi giấy chứng nhận',
	'assignment.create': 'Giao khóa học',
	'assignment.remove': 'Bỏ giao khóa học',
	'hamlet.add': 'Thêm thôn',
	'hamlet.rename': 'Đổi tên thôn',
	'hamlet.retire': 'Ngừng dùng thôn',
	'hamlet.restore': 'Dùng lại thôn',
	'account.move_in': 'Người học chuyển đến',
	'account.move_out': 'Người học chuyển đi',
	'account.import': 'Nhập danh sách cán bộ',
	'password.setup_code': 'Cấp mã đặt mật khẩu lần đầu',
	'password.setup_used': 'Đặt mật khẩu lần đầu',
	'unit_assignment.create': 'Giao khóa học cho đơn vị',
	'unit_assignment.remove': 'Bỏ giao khóa học cho đơn vị'
};

/** A short line of what changed, from the entry's details (no personal data beyond names already shown). */
function describe(a: AuditView): string {
	const d = a.details as Record<string, string | undefined>;
	if (d.role && isRole(d.role)) return ROLE_LABELS[d.role] + (d.via === 'cli' ? ' (lệnh trên máy chủ)' : '');
	if (a.action === 'hamlet.rename' || a.action.startsWith('account.move')) return `${d.from} → ${d.to}`;
	if (d.name) return `${d.type ? `${d.type} ` : ''}${d.name}`;
	if (d.reason) return `Lý do: ${d.reason}`;
	if (d.course) return d.course;
	if (a.action === 'account.import') return `${d.count} người, tệp ${d.fileName}`;
	return '';
}

export const load: PageServerLoad = async (event) => {
	const { database, unit, crumbs } = await openUnitPage(event);
	const entries = await listUnitAudit(database, unit.id);
	return {
		unit: { id: unit.id, label: unit.label },
		crumbs,
		entries: entries.map((a) => ({
			id: a.id,
			atText: dateTime.format(a.at),
			action: ACTIONS[a.action] ?? a.action,
			actor: a.actorName ?? (a.details.via === 'cli' ? 'Quản trị (máy chủ)' : ''),
			target: a.targetName ?? '',
			unit: a.unitName ? `${a.unitType} ${a.unitName}` : '',
			what: describe(a)
		}))
	};
};
