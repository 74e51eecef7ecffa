import { expect, test } from 'vitest';
import { parseCsv } from './csv';

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
