import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guards';
import { findRecordByCode } from '$lib/server/learning/records';
import { formatRecordCode, normalizeRecordCode } from '$lib/server/learning/record-code';
import { formatScore } from '$lib/server/learning/quiz-view';
import { publicOrigin } from '$lib/server/public-url';

export const csr = false;

const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const code = normalizeRecordCode(event.params.code);
	const record = code ? await findRecordByCode(await db(), code) : undefined;
	// Someone else's record is "not found", exactly as a code that does not exist: codes cannot be probed here.
	if (!record || record.userId !== user.id) error(404, 'Không tìm thấy giấy chứng nhận');
	const display = formatRecordCode(record.code);
	// The configured public address, never the request's Host: without one, the path alone and no QR code.
	const origin = publicOrigin();
	const verifyUrl = `${origin ?? ''}/verify/${display}`;
	const qrSvg = origin ? await QRCode.toString(verifyUrl, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }) : null;
	return {
		record: {
			code: display,
			fullName: record.fullName,
			courseTitle: record.courseTitle,
			unitName: record.unitName,
			score: record.score === null ? null : formatScore(record.score),
			issuedText: dateFormat.format(record.issuedAt),
			revoked: record.revokedAt !== null,
			revokeReason: record.revokeReason
		},
		verifyUrl,
		qrSvg
	};
};
