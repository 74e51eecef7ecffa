import { describe, expect, test } from 'vitest';
import { normalizeVietnameseTone, toOlderTonePlacement } from './vietnamese-tone';

describe('normalizeVietnameseTone', () => {
	test.each([
		['hòa', 'hoà'],
		['hoà', 'hoà'],
		['thủy', 'thuỷ'],
		['thuỷ', 'thuỷ'],
		['khỏe', 'khoẻ'],
		['khoẻ', 'khoẻ'],
		['Hòa Bình', 'Hoà Bình'],
		['HÒA', 'HOÀ'],
		['ủy ban', 'uỷ ban'],
		['thúy', 'thuý'],
		['xòe', 'xoè'],
		// With a final consonant or a third vowel both conventions agree; a misplaced mark is moved too.
		['hòang', 'hoàng'],
		['hòai', 'hoài'],
		['khủyu', 'khuỷu'],
		// "qu" and "gi" are consonants.
		['qúy', 'quý'],
		['qủa', 'quả'],
		['gìa', 'già']
	])('%s -> %s', (input, expected) => {
		expect(normalizeVietnameseTone(input)).toBe(expected);
	});

	test('words where the conventions agree are left alone', () => {
		for (const word of ['của', 'múa', 'mùa', 'tuổi', 'người', 'quốc', 'quỳnh', 'giữa', 'gìn', 'khuyến', 'hoàng', 'ngoài', 'thuế', 'toa', 'thuở', 'chìa']) {
			expect(normalizeVietnameseTone(word)).toBe(word);
		}
	});

	test('decomposed input (combining marks) gives the composed canonical form', () => {
		const decomposed = 'ho\u0300a bi\u0300nh'; // "hòa bình" typed as base letters plus combining marks
		expect(decomposed).not.toBe('hoà bình');
		expect(normalizeVietnameseTone(decomposed)).toBe('hoà bình');
		expect(normalizeVietnameseTone('thuỷ'.normalize('NFD'))).toBe('thuỷ');
	});

	test('whole sentences: both conventions and both encodings give one string; other text is kept', () => {
		const older = 'Sức khỏe là vàng, hòa thuận là bạc! 123 thủy';
		const newer = 'Sức khoẻ là vàng, hoà thuận là bạc! 123 thuỷ';
		expect(normalizeVietnameseTone(older)).toBe(newer);
		expect(normalizeVietnameseTone(older.normalize('NFD'))).toBe(newer);
		expect(normalizeVietnameseTone('pass-Word 42 ;)')).toBe('pass-Word 42 ;)');
		expect(normalizeVietnameseTone('')).toBe('');
	});

	test('is idempotent', () => {
		for (const s of ['hòa', 'thủy khỏe', 'qúy gìa', 'Đồng Nai']) {
			const once = normalizeVietnameseTone(s);
			expect(normalizeVietnameseTone(once)).toBe(once);
		}
	});
});

describe('toOlderTonePlacement', () => {
	test('puts the tone of a final oa, oe, uy on the first vowel', () => {
		expect(toOlderTonePlacement('hoà bình khoẻ thuỷ')).toBe('hòa bình khỏe thủy');
		expect(toOlderTonePlacement('hòa')).toBe('hòa');
		expect(toOlderTonePlacement('quý hoàng ngoài')).toBe('quý hoàng ngoài');
	});
});
