import type { RequestHandler } from './$types';
import { openUnitPage } from '../../unit.server';
import { IMPORT_COLUMNS } from '$lib/server/bulk/import';
import { csvLine } from '$lib/server/stats/export';

/** The template list for the unit: the header row and two example rows with the unit's own code (UTF-8 with BOM). */
export const GET: RequestHandler = async (event) => {
	const { unit } = await openUnitPage(event);
	const lines = [
		IMPORT_COLUMNS.map((c) => c.header),
		['Nguyễn Văn An', '0912345678', unit.code, 'Công chức Văn phòng - Thống kê'],
		['Trần Thị Bình', 'tran.binh', unit.code, 'Phó Chủ tịch UBND']
	].map(csvLine);
	return new Response('\uFEFF' + lines.join('\r\n') + '\r\n', {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="mau-danh-sach-can-bo.csv"', 'cache-control': 'no-store' }
	});
};
