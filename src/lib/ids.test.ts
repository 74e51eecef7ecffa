import { describe, expect, it } from 'vitest';
import { isId, parseId } from './ids';

describe('parseId', () => {
	it('accepts positive integers that fit an integer column', () => {
		expect(parseId('1')).toBe(1);
		expect(parseId('42')).toBe(42);
		expect(parseId('2147483647')).toBe(2147483647);
	});
	it('refuses everything else', () => {
		for (const bad of ['', '0', '-1', '01', ' 7', '7 ', '1e3', '0x10', '1.5', '2147483648', '99999999999', '1\u0000', null, undefined, 5]) {
			expect(parseId(bad as unknown), String(bad)).toBeNull();
		}
	});
});

describe('isId', () => {
	it('is a positive integer that fits an integer column', () => {
		for (const good of [1, 42, 2147483647]) expect(isId(good), String(good)).toBe(true);
		for (const bad of [0, -1, 1.5, 2147483648, Number.NaN, Infinity]) expect(isId(bad), String(bad)).toBe(false);
	});
});
