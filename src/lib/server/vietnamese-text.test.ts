import { describe, expect, it } from 'vitest';
import { foldVietnamese } from './vietnamese-text';

describe('foldVietnamese', () => {
	it('drops diacritics and case', () => {
		expect(foldVietnamese('Xã Vân Canh')).toBe('xa van canh');
		expect(foldVietnamese('Đà Nẵng')).toBe('da nang');
	});

	it('keeps Ð (U+00D0) and ð (U+00F0), written for Đ by some keyboards, as d', () => {
		expect(foldVietnamese('\u00D0à Nẵng')).toBe('da nang');
		expect(foldVietnamese('\u00F0ường')).toBe('duong');
	});
});
