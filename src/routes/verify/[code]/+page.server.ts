import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { findRecordByCode } from '$lib/server/learning/records';
import { formatRecordCode, normalizeRecordCode } from '$lib/server/learning/record-code';
import { maskName } from '$lib/server/learning/mask-name';

export const csr = false;

const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

/** Public: anyone holding the code sees whether the record is valid, and only what the paper already shows. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'x-robots-tag': 'noindex', 'cache-control': 'no-store' });
	const code = normalizeRecordCode(params.code);
	const record = code ? await findRecordByCode(await db(), code) : undefined;
	// A code that does not exist is a 404 (shown by +error.svelte beside this page, with the form to try again).
	if (!record) error(404, 'Không tìm thấy giấy chứng nhận');
	return {
		typed: formatRecordCode(record.code),
		record: {
			code: formatRecordCode(record.code),
			valid: record.revokedAt === null,
			revokeReason: record.revokeReason,
			revokedText: record.revokedAt ? dateFormat.format(record.revokedAt) : null,
			courseTitle: record.courseTitle,
			issuedText: dateFormat.format(record.issuedAt),
			unitName: record.unitName,
			name: maskName(record.fullName)
		}
	};
};
