import ExcelJS from 'exceljs';
import type { StatTable } from './dashboard';

// Exports of a table exactly as the page shows it (same header cells, same rows in the same order).

function csvCell(v: string | number): string {
	const s = String(v);
	return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (no line end): cells quoted where needed, comma-separated. */
export function csvLine(cells: (string | number)[]): string {
	return cells.map(csvCell).join(',');
}

/**
 * The table as CSV: UTF-8 with a byte order mark (so that spreadsheet programs read Vietnamese letters right),
 * comma-separated, CRLF line ends (RFC 4180), a caption line first.
 */
export function tableToCsv(table: Pick<StatTable, 'columns' | 'rows'>, caption: string): string {
	const lines = [[caption], table.columns, ...table.rows].map(csvLine);
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The table as an XLSX workbook of one sheet: caption, bold header row, numbers as numbers. */
export async function tableToXlsx(table: Pick<StatTable, 'title' | 'columns' | 'rows'>, caption: string): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Học Số';
	// Sheet names are at most 31 characters and may not contain []:*?/\
	const ws = wb.addWorksheet(table.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
	ws.addRow([caption]).font = { bold: true };
	const header = ws.addRow(table.columns);
	header.font = { bold: true };
	for (const r of table.rows) ws.addRow(r);
	ws.columns.forEach((c, i) => {
		const widest = Math.max(table.columns[i]?.length ?? 8, ...table.rows.map((r) => String(r[i] ?? '').length));
		c.width = Math.min(Math.max(widest + 2, 8), 60);
	});
	ws.views = [{ state: 'frozen', ySplit: 2 }];
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A file name for the download: ASCII only, from the unit and table. */
export function exportFileName(parts: string[], ext: 'csv' | 'xlsx'): string {
	const slug = parts
		.join('-')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `${slug || 'thong-ke'}.${ext}`;
}
