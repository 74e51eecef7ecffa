import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportFileName, tableToCsv, tableToXlsx } from '$lib/server/stats/export';
import { openCourseAnalytics } from '../../analytics.server';

/**
 * GET ?bang=pheu|cau-hoi&dinh_dang=csv|xlsx plus the page's filters: one table of the course analytics, built by
 * the same code as the page, so the file holds exactly what the screen shows.
 */
export const GET: RequestHandler = async (event) => {
	const view = await openCourseAnalytics(event);
	const table = view.analytics.tables.find((t) => t.id === event.url.searchParams.get('bang'));
	if (!table) error(404, 'Không có bảng này');
	const caption = `${table.title}: ${view.analytics.course.title}; ${view.unitLabel}; người học bắt đầu bài trong ${view.periodLabel}`;
	const format = event.url.searchParams.get('dinh_dang') === 'xlsx' ? 'xlsx' : 'csv';
	const name = exportFileName([view.analytics.course.slug, view.unitLabel, table.id], format);
	const headers = { 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' };
	if (format === 'csv') return new Response(tableToCsv(table, caption), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
	return new Response(new Uint8Array(await tableToXlsx(table, caption)), {
		headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
	});
};
