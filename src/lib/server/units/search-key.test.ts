import { describe, expect, test } from 'vitest';
import { unitSearchKey } from './search-key';
import { foldVietnamese } from '../vietnamese-text';

describe('foldVietnamese', () => {
	test('strips diacritics and lowercases', () => {
		expect(foldVietnamese('Vân Canh')).toBe('van canh');
		expect(foldVietnamese('Hoài Ân')).toBe('hoai an');
		expect(foldVietnamese('Phù Mỹ')).toBe('phu my');
		expect(foldVietnamese('Quy Nhơn Bắc')).toBe('quy nhon bac');
		expect(foldVietnamese('Thị trấn Tăng Bạt Hổ')).toBe('thi tran tang bat ho');
	});

	test('turns đ and Đ into d', () => {
		expect(foldVietnamese('Đống Đa')).toBe('dong da');
		expect(foldVietnamese('Bình Định')).toBe('binh dinh');
		expect(foldVietnamese('đăk')).toBe('dak');
	});

	test('folds decomposed (NFD) input the same as composed input', () => {
		expect(foldVietnamese('Vân Canh'.normalize('NFD'))).toBe('van canh');
		expect(foldVietnamese('Ỷ Lan'.normalize('NFD'))).toBe('y lan');
	});

	test('collapses punctuation and spaces', () => {
		expect(foldVietnamese("  K' Dang ")).toBe('k dang');
		expect(foldVietnamese('Ia--Púch')).toBe('ia puch');
		expect(foldVietnamese('')).toBe('');
	});

	test('search key has a leading space and the type', () => {
		expect(unitSearchKey('xã', 'Vân Canh')).toBe(' xa van canh');
		expect(unitSearchKey('thị trấn', 'Ngô Mây')).toBe(' thi tran ngo may');
	});
});
