import { describe, expect, it } from 'vitest';
import { exportGift } from './export';
import { ALL_TYPES } from './fixtures';
import { parseGift } from './parse';
import type { GiftQuestion } from './types';

function parse(source: string) {
	return parseGift(source, { idPrefix: 'bai' });
}

/** Questions without their line numbers (which depend on the layout of the file). */
function withoutLines(questions: GiftQuestion[]) {
	return questions.map(({ line: _line, ...rest }) => rest);
}

describe('exportGift', () => {
	const original = parse(ALL_TYPES);
	const exported = exportGift(original.questions);

	it('round trip: parsing the export gives the same questions', () => {
		expect(original.problems).toEqual([]);
		const again = parse(exported);
		expect(again.problems).toEqual([]);
		expect(withoutLines(again.questions)).toEqual(withoutLines(original.questions));
	});

	it('is stable: exporting the re-parsed questions gives the same text', () => {
		expect(exportGift(parse(exported).questions)).toBe(exported);
	});

	it('writes categories once per change, names, formats, escapes, weights and feedback', () => {
		expect(exported.match(/^\$CATEGORY: .*$/gm)).toEqual(['$CATEGORY: ky-nang-so/wifi', '$CATEGORY: ky-nang-so/du-lieu']);
		expect(exported).toContain('::wifi-1:: Biểu tượng nào cho biết điện thoại đang bắt Wi-Fi? {\n\t=Hình cái quạt#Đúng.');
		expect(exported).toContain('\t~%-100%Dán mật khẩu lên cửa#Ai đi qua cũng đọc được.\n');
		expect(exported).toContain('{FALSE#Chưa đúng\\: mạng công cộng có thể bị nghe lén.#Đúng vậy, hãy dùng dữ liệu di động.}');
		expect(exported).toContain('\t=%50%VN*ID#Gần đúng\\: tên đầy đủ là VNeID.\n');
		expect(exported).toContain('\t= -> Nấu cơm\n');
		expect(exported).toContain('{#\n\t=12.5:0.1#Chính xác.\n\t=%50%100#Đó là megabit, hãy chia cho 8.\n\t~#Gợi ý\\: 1 byte \\= 8 bit.\n');
		expect(exported).toContain('{#\n\t=1..5\n}');
		expect(exported).toContain('::wifi-10:: [markdown]Để kết nối, mở **Cài đặt** rồi chọn {\n\t=Wi-Fi\n\t=Wifi\n} trong danh sách.');
		expect(exported).toContain('công cộng\\nvà điều');
		expect(exported).toContain('{####Giảng viên sẽ nhận xét.}');
		expect(exported).toContain('\t=[plain]4G hoặc 5G#Đúng\n');
		expect(exported).toContain('\t~Biểu tượng \\{quạt\\} \\~ \\= \\# \\\\ gạch\n');
		expect(exported).toContain('::du-lieu-5:: Viết bài ngắn về dữ liệu di động. {}');
		expect(exported).toContain('\nPhần tiếp theo nói về dữ liệu di động.\n');
	});

	it('separates questions with blank lines and has no blank line inside a question', () => {
		const blocks = exported.trim().split('\n\n');
		expect(blocks).toHaveLength(original.questions.length + 2);
		for (const b of blocks) expect(b).not.toMatch(/\n\s*\n/);
	});

	it('keeps texts that look like GIFT syntax as text', () => {
		const questions: GiftQuestion[] = [
			{
				id: 'la',
				name: 'lạ',
				idDerived: false,
				line: 1,
				type: 'multichoice',
				single: true,
				stem: { text: '[html] là chữ, không phải định dạng', format: 'moodle' },
				choices: [
					{ text: { text: '%50% giảm giá', format: 'moodle' }, fraction: 0 },
					{ text: { text: 'A -> B', format: 'moodle' }, fraction: 1 }
				]
			},
			{
				id: 'la-2',
				name: 'lạ 2',
				idDerived: false,
				line: 1,
				type: 'shortanswer',
				stem: { text: 'Mã giảm giá?', format: 'markdown' },
				stemAfter: { text: 'là mã.', format: 'markdown' },
				answers: [{ text: '%SALE%', fraction: 1 }]
			}
		];
		const r = parse(exportGift(questions));
		expect(r.problems).toEqual([]);
		expect(withoutLines(r.questions)).toEqual(withoutLines(questions));
	});

	it('writes an empty string for no questions', () => {
		expect(exportGift([])).toBe('');
	});
});
