import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guards';
import { findRecordByCode, listRecordAudit, revokeRecord } from '$lib/server/learning/records';
import { formatRecordCode, normalizeRecordCode } from '$lib/server/learning/record-code';

export const csr = false;

const dateTime = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });

const BAD_CODE = 'Mã gồm 10 chữ và số, ví dụ K7QF-M2XD-9H. Hãy kiểm tra lại.';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const database = await db();
	const typed = event.url.searchParams.get('ma') ?? '';
	const code = typed ? normalizeRecordCode(typed) : null;
	const found = code ? await findRecordByCode(database, code) : undefined;
	const audit = await listRecordAudit(database, 100);
	return {
		typed: typed.slice(0, 40),
		searchMessage: typed && !code ? BAD_CODE : typed && !found ? 'Không có giấy chứng nhận nào có mã này.' : null,
		record: found && {
			code: formatRecordCode(found.code),
			fullName: found.fullName,
			courseTitle: found.courseTitle,
			unitName: found.unitName,
			issuedText: dateTime.format(found.issuedAt),
			revokedText: found.revokedAt ? dateTime.format(found.revokedAt) : null,
			revokeReason: found.revokeReason
		},
		audit: audit.map((a) => ({
			id: a.id,
			code: formatRecordCode(a.code),
			action: a.action === 'revoke' ? 'Thu hồi' : a.action,
			reason: a.reason,
			actor: a.actorName ?? (a.actorUserId ? `#${a.actorUserId}` : ''),
			atText: dateTime.format(a.at)
		}))
	};
};

export const actions: Actions = {
	revoke: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await event.request.formData();
		const typedCode = String(form.get('code') ?? '');
		const reason = String(form.get('reason') ?? '').slice(0, 500);
		const code = normalizeRecordCode(typedCode);
		if (!code) return fail(400, { message: BAD_CODE, reason });
		const result = await revokeRecord(await db(), code, reason, admin.id);
		if (!result.ok) {
			const message = {
				'no-reason': 'Hãy ghi lý do thu hồi: người học và người kiểm tra giấy sẽ thấy lý do này.',
				'already-revoked': 'Giấy chứng nhận này đã bị thu hồi trước đó.',
				'not-found': 'Không có giấy chứng nhận nào có mã này.'
			}[result.reason];
			return fail(400, { message, reason });
		}
		return { revoked: formatRecordCode(code) };
	}
};
