import { expect, test } from 'vitest';
import { parseCsv, parseCsvRows } from './csv';

test('parses a header row, quoted fields and CRLF', () => {
	const rows = parseCsv('code,name\r\n1,"Hà Nội, thủ đô"\r\n2,"Say ""hi"""\r\n\r\n3,Huế');
	expect(rows).toEqual([
		{ code: '1', name: 'Hà Nội, thủ đô' },
		{ code: '2', name: 'Say "hi"' },
		{ code: '3', name: 'Huế' }
	]);
});

test('missing trailing cells are empty strings', () => {
	expect(parseCsv('a,b,c\n1,2\n')).toEqual([{ a: '1', b: '2', c: '' }]);
});

test('each row knows the line it starts on, past blank lines and line breaks inside quotes', () => {
	const rows = parseCsvRows('code,name\r\n\r\n1,"hai\r\ndòng"\n2,b\n');
	expect(rows).toEqual([
		{ line: 1, cells: ['code', 'name'] },
		{ line: 3, cells: ['1', 'hai\r\ndòng'] },
		{ line: 5, cells: ['2', 'b'] }
	]);
});
