import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { formatRecordCode, normalizeRecordCode } from '$lib/server/learning/record-code';

export const csr = false;

/** A plain GET form: the code typed goes to /verify/CODE; a code of the wrong shape is said so, and kept. */
export const load: PageServerLoad = async ({ url }) => {
	const typed = url.searchParams.get('ma');
	if (typed === null) return { typed: '', message: null };
	const code = normalizeRecordCode(typed);
	if (code) redirect(303, `/verify/${formatRecordCode(code)}`);
	return {
		typed: typed.slice(0, 40),
		message: 'Mã gồm 10 chữ và số, ví dụ K7QF-M2XD-9H. Hãy kiểm tra lại mã in trên giấy chứng nhận (không có chữ O, I, L và số 0, 1).'
	};
};
