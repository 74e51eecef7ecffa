/** One record of a CSV file, with the line it starts on (1 for the first line of the file). */
export interface CsvRow {
	line: number;
	cells: string[];
}

/**
 * Parses RFC 4180 CSV (optional double quotes, "" inside quotes) into rows of cells, each with the line its
 * row starts on (a quoted field may hold line breaks). Blank lines are skipped; a leading byte-order mark is dropped.
 * The separator is a comma unless given (spreadsheet programs set to Vietnamese save CSV with semicolons).
 */
export function parseCsvRows(text: string, delimiter: ',' | ';' = ','): CsvRow[] {
	const rows: CsvRow[] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	const src = text.replace(/^\uFEFF/, '');
	const endRow = () => {
		row.push(field);
		field = '';
		if (row.length > 1 || row[0] !== '') rows.push({ line: rowLine, cells: row });
		row = [];
	};
	for (let i = 0; i < src.length; i++) {
		const ch = src[i];
		if (quoted) {
			if (ch === '"') {
				if (src[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else {
				if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
				field += ch;
			}
		} else if (ch === '"') quoted = true;
		else if (ch === delimiter) {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && src[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else field += ch;
	}
	endRow();
	return rows;
}

/** Parses CSV (see parseCsvRows) into records keyed by the header row. */
export function parseCsv(text: string): Record<string, string>[] {
	const [header, ...body] = parseCsvRows(text).map((r) => r.cells);
	if (!header) return [];
	return body.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])));
}
