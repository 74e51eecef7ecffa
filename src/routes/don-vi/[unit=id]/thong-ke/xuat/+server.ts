import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { replicaDb } from '$lib/server/db';
import { requireUnitRole } from '$lib/server/auth/guards';
import { parseId } from '$lib/ids';
import { buildDashboard, buildFormerDistricts } from '$lib/server/stats/dashboard';
import { exportFileName, tableToCsv, tableToXlsx } from '$lib/server/stats/export';
import { formatDay } from '$lib/server/stats/period';

/**
 * GET ?bang=<table>&dinh_dang=csv|xlsx plus the page's filters: one table of the dashboard (or of the former
 * districts page, bang=huyen-cu or bang=chi-tieu-huyen-cu) built by the same code as the page, so the file holds
 * exactly what the screen shows.
 */
export const GET: RequestHandler = async (event) => {
	const unitId = parseId(event.params.unit)!;
	await requireUnitRole(event, ['official'], unitId);
	// The same source as the page it exports (the replica when there is one), so the file matches the screen.
	const database = await replicaDb();
	const bang = event.url.searchParams.get('bang') ?? '';
	const format = event.url.searchParams.get('dinh_dang') === 'xlsx' ? 'xlsx' : 'csv';
	const link = (id: number) => `/don-vi/${id}`;
	let table;
	let unitLabel: string;
	let period: string;
	if (bang === 'huyen-cu' || bang === 'chi-tieu-huyen-cu') {
		const view = await buildFormerDistricts(database, unitId, event.url, link);
		table = view.tables.find((t) => t.id === bang);
		unitLabel = view.unitLabel;
		const subject = view.subjects.find((s) => s.value === view.filters.subject)?.label ?? '';
		period = bang === 'huyen-cu' ? `${subject}, ${formatDay(view.filters.from)} – ${formatDay(view.filters.to)}` : 'đặt trước 01/07/2025';
	} else {
		const d = await buildDashboard(database, unitId, event.url, link);
		if (!d) error(404, 'Không tìm thấy đơn vị');
		table = d.tables.find((t) => t.id === bang);
		unitLabel = d.unit.label;
		const subject = d.subjects.find((s) => s.value === d.filters.subject)?.label ?? '';
		period = `${subject}, ${formatDay(d.filters.from)} – ${formatDay(d.filters.to)}`;
	}
	if (!table) error(404, 'Không có bảng này');
	const caption = `${table.title}: ${unitLabel}; ${period}`;
	const name = exportFileName([unitLabel, table.id], format);
	if (format === 'csv') {
		return new Response(tableToCsv(table, caption), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' }
		});
	}
	return new Response(new Uint8Array(await tableToXlsx(table, caption)), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
