import type { RequestHandler } from './$types';
import { buildOverdueView } from '$lib/server/bulk/overdue-view';
import { exportFileName, tableToCsv } from '$lib/server/stats/export';
import { openUnitPage } from '../../unit.server';

/** GET ?giao=ID: the overdue list exactly as the page shows it, as CSV (UTF-8 with BOM). */
export const GET: RequestHandler = async (event) => {
	const { database, unit } = await openUnitPage(event);
	const view = await buildOverdueView(database, unit, event.url);
	return new Response(tableToCsv(view.table, view.caption), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName([unit.label, 'qua-han', view.today.replaceAll('/', '-')], 'csv')}"`,
			'cache-control': 'private, no-store'
		}
	});
};
