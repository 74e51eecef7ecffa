/**
 * Parses RFC 4180 CSV (comma, optional double quotes, "" inside quotes) into rows of cells, each with the line its
 * row starts on (a quoted field may hold line breaks). Blank lines are skipped; a leading byte-order mark is dropped.
 */
export function parseCsvRows(text: string): { line: number; cells: string[] }[] {
	const rows: { line: number; cells: string[] }[] = [];
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
		else if (ch === ',') {
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
