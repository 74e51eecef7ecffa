import ExcelJS from 'exceljs';
import { parseCsvRows, type CsvRow } from '$lib/server/units/csv';

// Reading a list someone saved from a spreadsheet program: CSV (UTF-8 with or without a byte order mark, commas or
// semicolons) or XLSX (the first sheet). Rows keep the number the person sees in their program.

/** Largest file accepted (the server refuses request bodies above 512 KB). */
export const MAX_FILE_BYTES = 300 * 1024;
/** Most people one list may hold (header row aside). */
export const MAX_ROWS = 1000;

export type SheetResult = { ok: true; rows: CsvRow[] } | { ok: false; message: string };

const tooBig = `Tệp lớn quá: tối đa ${MAX_FILE_BYTES / 1024} KB. Hãy chia danh sách thành nhiều tệp, mỗi tệp tối đa ${MAX_ROWS} người.`;

/** The rows of an uploaded CSV or XLSX file, the header row first; a clear message for anything else. */
export async function readSpreadsheet(fileName: string, bytes: Uint8Array): Promise<SheetResult> {
	if (bytes.byteLength === 0) return { ok: false, message: 'Hãy chọn tệp danh sách (CSV hoặc XLSX) trước khi bấm Xem trước.' };
	if (bytes.byteLength > MAX_FILE_BYTES) return { ok: false, message: tooBig };
	const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK": an XLSX file is a zip archive
	const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
	let rows: CsvRow[];
	if (isZip || ext === 'xlsx') {
		const read = await readXlsx(bytes);
		if (!read) return { ok: false, message: 'Không đọc được tệp XLSX này. Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx hoặc CSV UTF-8.' };
		rows = read;
	} else if (ext === 'xls') {
		return { ok: false, message: 'Tệp .xls (Excel đời cũ) chưa đọc được. Hãy mở tệp rồi "Lưu thành" dạng .xlsx hoặc CSV UTF-8.' };
	} else {
		let text: string;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			return { ok: false, message: 'Tệp CSV này không ở dạng UTF-8, nên chữ tiếng Việt sẽ bị lỗi. Trong Excel, chọn "Lưu thành", kiểu "CSV UTF-8 (phân tách bằng dấu phẩy)".' };
		}
		const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
		const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
		rows = parseCsvRows(text, delimiter);
	}
	rows = rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => c.normalize('NFC').trim()) })).filter((r) => r.cells.some((c) => c !== ''));
	if (rows.length < 2) return { ok: false, message: 'Tệp không có người nào: cần dòng tên cột và ít nhất một dòng dưới đó.' };
	if (rows.length - 1 > MAX_ROWS) return { ok: false, message: `Danh sách có ${rows.length - 1} người, nhiều quá: mỗi lần nhập tối đa ${MAX_ROWS} người. Hãy chia thành nhiều tệp.` };
	return { ok: true, rows };
}

async function readXlsx(bytes: Uint8Array): Promise<CsvRow[] | null> {
	const wb = new ExcelJS.Workbook();
	try {
		// exceljs's load() is typed for its own Buffer declaration.
		await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
	} catch {
		return null;
	}
	const ws = wb.worksheets[0];
	if (!ws) return null;
	const rows: CsvRow[] = [];
	ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: string[] = [];
		for (let i = 1; i <= Math.min(row.cellCount, 20); i++) cells.push(cellText(row.getCell(i)));
		rows.push({ line: rowNumber, cells });
	});
	return rows;
}

function cellText(cell: ExcelJS.Cell): string {
	const v = cell.value;
	// A number cell (a phone number a spreadsheet took for a number) as plain digits, never "9.12E+08".
	if (typeof v === 'number') return String(v);
	try {
		return cell.text ?? '';
	} catch {
		return '';
	}
}
